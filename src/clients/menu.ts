/**
 * The admin client menu (`clientrequest`): add a client, pick one to see its card,
 * change a setting or remove it, list every client with its members, approve or refuse
 * dashboard accounts waiting for approval. Each action validates and words its result
 * like the short commands (it uses the same parsers, services and texts, so change_log
 * gets the same rows) and comes back to the menu; a bad answer says why and asks again;
 * `batal` leaves. Every answer checks the sender is still an admin: a menu can outlive
 * a sign-in.
 */
import type { BaseContext } from '../bot/context.js';
import { defineFlow, repeatOnRefusal, type Step, type StepOutcome } from '../bot/conversation.js';
import { UserError } from '../bot/errors.js';
import { type DashboardAccount, pendingAccounts } from './dashboard.js';
import { REMOVAL_CHANGED, removalAnswer, removalQuestionFor, shownImpact } from './flows.js';
import * as m from './menu-texts.js';
import { type ClientSummary, listClients, loadClient, memberCounts } from './record.js';
import { addClientReply, dashboardStatusReply, updateClientReply } from './replies.js';
import * as text from './texts.js';
import { CLIENT_FIELDS, type ClientField, fieldOf, parseClientId, parseClientName, parseFieldValue } from './validate.js';

export interface ClientMenuData {
  /** The id of the client being added, once typed. */
  newId?: string;
  /** Clients listed to pick from, in the order listed. */
  clients?: Listed[];
  /** The client picked, and its name (for the questions). */
  clientId?: string;
  nama?: string;
  field?: ClientField;
  /** Dashboard accounts listed to pick from, in the order listed, and the one picked. */
  accounts?: Account[];
  account?: Account;
  /** What the removal question showed would go (see `shownImpact`). */
  shown?: string;
}

type Listed = Pick<ClientSummary, 'clientId' | 'nama' | 'active'>;
type Account = Pick<DashboardAccount, 'userId' | 'username' | 'role' | 'clientId'>;

type Outcome = StepOutcome<ClientMenuData>;
/** Back to the menu, forgetting what was picked. */
const backToMenu = (say?: string): Outcome => ({ next: 'menu', data: {}, ...(say ? { say } : {}) });

const orRepeat = (work: () => Promise<Outcome>): Promise<Outcome> => repeatOnRefusal(work);

/** Runs `work`; a refusal it throws is said, back at the menu. */
async function orMenu(work: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UserError) return backToMenu(error.message);
    throw error;
  }
}

/** A number from 1 to `count` as typed, as an index; null otherwise. */
function chosen(input: string, count: number): number | null {
  const typed = input.trim();
  if (!/^\d+$/.test(typed)) return null;
  const n = Number(typed);
  return n >= 1 && n <= count ? n - 1 : null;
}

const MENU = new Map<string, (ctx: BaseContext) => Promise<Outcome>>([
  ['1', async () => ({ next: 'add-id', data: {} })],
  [
    '2',
    async (ctx) => {
      const clients = (await listClients(ctx.services.db)).map(({ clientId, nama, active }) => ({ clientId, nama, active }));
      if (clients.length === 0) return { repeat: m.NO_CLIENTS };
      return { next: 'pick', data: { clients } };
    },
  ],
  ['3', async (ctx) => backToMenu(text.clientList(await listClients(ctx.services.db)))],
  [
    '4',
    async (ctx) => {
      const accounts = (await pendingAccounts(ctx.services.db)).map(({ userId, username, role, clientId }) => ({ userId, username, role, clientId }));
      if (accounts.length === 0) return backToMenu(m.NO_PENDING);
      return { next: 'accounts', data: { accounts } };
    },
  ],
]);

const STEPS: Record<string, Step<ClientMenuData>> = {
  menu: {
    ask: () => m.CLIENT_MENU,
    answer: (input, _data, ctx) => MENU.get(input.trim())?.(ctx) ?? { repeat: m.MENU_CHOICE },
  },

  'add-id': {
    ask: () => m.ASK_NEW_ID,
    answer: async (input, _data, ctx) => {
      const id = parseClientId(input);
      if (!id) return { repeat: text.BAD_ID };
      // Checked again when adding; asking the name of a client that exists would waste it.
      const existing = await loadClient(ctx.services.db, id);
      if (existing) return { repeat: text.duplicateId(existing.client_id) };
      return { next: 'add-name', data: { newId: id } };
    },
  },
  'add-name': {
    ask: (data) => m.askNewName(data.newId!),
    answer: async (input, data, ctx) => {
      const nama = parseClientName(input);
      if (!nama) return { repeat: text.BAD_NAME };
      // The only refusal is the id added by another admin meanwhile: the name is no use to it.
      return orMenu(async () => backToMenu(await addClientReply(ctx, data.newId!, nama)));
    },
  },

  pick: {
    ask: (data) => m.clientPicker(data.clients ?? []),
    answer: async (input, data, ctx) => {
      const clients = (data.clients ?? []).map((c) => c.clientId);
      const index = chosen(input, clients.length);
      const typed = index === null ? input.trim() : clients[index]!;
      if (index === null && !clients.some((c) => c.toLowerCase() === typed.toLowerCase())) return { repeat: m.CLIENT_CHOICE };
      const client = await loadClient(ctx.services.db, typed);
      if (!client) return backToMenu(text.clientGone(typed));
      ctx.actOn(client.client_id);
      return { next: 'client', data: { clientId: client.client_id, nama: client.nama } };
    },
  },
  client: {
    ask: (data) => m.clientActions(data.clientId!, data.nama!),
    answer: async (input, data, ctx) => {
      switch (input.trim()) {
        case '1': {
          const { db } = ctx.services;
          const client = await loadClient(db, data.clientId!);
          return backToMenu(client ? text.clientCard(client, await memberCounts(db, client.client_id)) : text.clientGone(data.clientId!));
        }
        case '2':
          return { next: 'field', data };
        case '3':
          return { next: 'remove', data: { ...data, shown: await shownImpact(ctx, data.clientId!) } };
        case '4':
          return backToMenu();
        default:
          return { repeat: m.ACTION_CHOICE };
      }
    },
  },
  field: {
    ask: (data) => m.fieldMenu(data.clientId!),
    answer: (input, data) => {
      const index = chosen(input, CLIENT_FIELDS.length);
      const field = index === null ? fieldOf(input) : CLIENT_FIELDS[index]!;
      if (!field) return { repeat: m.FIELD_CHOICE };
      return { next: 'value', data: { ...data, field } };
    },
  },
  value: {
    ask: async (data, ctx) => {
      const client = await loadClient(ctx.services.db, data.clientId!);
      return client ? m.askValue(client, data.field!) : text.clientGone(data.clientId!);
    },
    answer: (input, data, ctx) => {
      const field = data.field!;
      const parsed = parseFieldValue(field, input);
      if (!parsed.ok) return { repeat: text.badValue(field, parsed.problem) };
      return orRepeat(async () => {
        // A client removed meanwhile takes no value: back to the menu.
        if (!(await loadClient(ctx.services.db, data.clientId!))) return backToMenu(text.clientGone(data.clientId!));
        return backToMenu(await updateClientReply(ctx, data.clientId!, field, parsed.value));
      });
    },
  },
  remove: {
    ask: (data, ctx) => removalQuestionFor(ctx, data.clientId!),
    answer: async (input, data, ctx) => {
      const reply = await removalAnswer(ctx, data.clientId!, input, data.shown);
      if (reply === null) return { repeat: text.REMOVAL_ANSWERS };
      if (typeof reply !== 'string') return { next: 'remove', data: { ...data, shown: reply.changed }, say: REMOVAL_CHANGED };
      return backToMenu(reply);
    },
  },

  accounts: {
    ask: (data) => m.pendingList(data.accounts ?? []),
    answer: (input, data, ctx) => {
      const accounts = data.accounts ?? [];
      const index = chosen(input, accounts.length);
      if (index === null) return { repeat: m.ACCOUNT_CHOICE };
      const account = accounts[index]!;
      if (account.clientId) ctx.actOn(account.clientId);
      return { next: 'account', data: { ...data, account } };
    },
  },
  account: {
    ask: (data) => m.askDecision(data.account!),
    answer: (input, data, ctx) => {
      const word = input.trim().toLowerCase();
      const approve = ['1', 'setujui', 'setuju', 'approve'].includes(word) ? true : ['2', 'tolak', 'deny'].includes(word) ? false : null;
      if (approve === null) return { repeat: m.DECISION_CHOICE };
      // The only refusal is an account deleted meanwhile: asking again would not help.
      return orMenu(async () => backToMenu(await dashboardStatusReply(ctx, data.account!.userId, approve)));
    },
  },
};

/** Every answer first checks the sender is still an admin, and names the picked client for the audit trail. */
function adminOnly(steps: Record<string, Step<ClientMenuData>>): Record<string, Step<ClientMenuData>> {
  return Object.fromEntries(
    Object.entries(steps).map(([name, step]) => [
      name,
      {
        ask: step.ask,
        answer: (input: string, data: ClientMenuData, ctx: BaseContext) => {
          if (ctx.sender.role !== 'admin') return { done: m.ADMIN_ONLY };
          if (data.clientId) ctx.actOn(data.clientId);
          return step.answer(input, data, ctx);
        },
      },
    ]),
  );
}

export const clientMenuFlow = defineFlow<ClientMenuData>({ name: 'clientrequest', first: 'menu', steps: adminOnly(STEPS) });
