/**
 * The operator menu (`oprrequest`): add a member, change a field, activate or
 * deactivate, mark an exception, find a member, list the exceptions, always within one
 * client (the operator's own; an admin picks one first). Each action validates like the
 * short commands (it uses the same services), shows the card before a change that takes
 * something away, and comes back to the menu; `batal` leaves.
 */
import { chatActor } from '../audit/change-log.js';
import type { BaseContext } from '../bot/context.js';
import { defineFlow, repeatOnRefusal, type Step, type StepOutcome } from '../bot/conversation.js';
import { findClient } from '../compliance/clients.js';
import { sendDayLinks, sendRegistration } from '../reports/send-recaps.js';
import { dayWindow } from '../time/day.js';
import { parseNrp } from './binding.js';
import { editReply } from './edit-command.js';
import { answerOf } from './flows.js';
import { addMember, findByName, listExceptions, type MemberField, parseFieldValue } from './manage.js';
import * as t from './manage-texts.js';
import { divisionChoices, rankChoices } from './profile.js';
import { memberInScope, showNumbers, storedNrp } from './scope.js';
import { MALFORMED_NRP } from './texts.js';

export interface OperatorMenuData {
  clientId?: string;
  /** Clients an admin picks from, in the order listed. */
  clients?: string[];
  nrp?: string;
  field?: MemberField;
  choices?: string[];
  add?: { nrp: string; nama?: string; title?: string; divisi?: string };
}

type Outcome = StepOutcome<OperatorMenuData>;
const backToMenu = (say: string): Outcome => ({ next: 'menu', say });

const orRepeat = (work: () => Promise<Outcome>): Promise<Outcome> => repeatOnRefusal(work);

/** A step asking for the NRP of a member of the client, then going to `next`. */
const memberStep = (next: string): Step<OperatorMenuData> => ({
  ask: () => t.ASK_MEMBER_NRP,
  answer: (input, data, ctx) =>
    orRepeat(async () => {
      const member = await memberInScope(ctx, input, data.clientId!);
      return { next, data: { ...data, nrp: member.userId } };
    }),
});

const card = async (ctx: BaseContext, data: OperatorMenuData): Promise<string> =>
  t.operatorCard(await memberInScope(ctx, data.nrp!, data.clientId!), showNumbers(ctx));

/** Applies a change to the member picked earlier and comes back to the menu with the changed card. */
const edit = (ctx: BaseContext, data: OperatorMenuData, field: MemberField, value: string | boolean | null): Promise<Outcome> =>
  orRepeat(async () => backToMenu(await editReply(ctx, await memberInScope(ctx, data.nrp!, data.clientId!), field, value)));

/** A pick from `data.choices` by number, or a new value typed. */
function picked(input: string, data: OperatorMenuData): string {
  const typed = input.trim();
  if (data.choices && /^\d+$/.test(typed)) return data.choices[Number(typed) - 1] ?? '';
  return typed;
}

const MENU: Record<string, string> = { '1': 'add-nrp', '2': 'edit-nrp', '3': 'status-nrp', '4': 'exception-nrp', '5': 'find' };

const STEPS: Record<string, Step<OperatorMenuData>> = {
  client: {
    ask: async (data, ctx) => {
      const { rows } = await ctx.services.db.query<{ client_id: string; nama: string }>(
        'SELECT client_id, nama FROM clients WHERE client_id = ANY($1) ORDER BY client_id',
        [data.clients ?? []],
      );
      return t.clientPicker(rows.map((r) => ({ clientId: r.client_id, nama: r.nama })));
    },
    answer: (input, data) => {
      const typed = input.trim();
      const clients = data.clients ?? [];
      const clientId = /^\d+$/.test(typed) ? clients[Number(typed) - 1] : clients.find((c) => c.toLowerCase() === typed.toLowerCase());
      return clientId ? { next: 'menu', data: { clientId, clients } } : { repeat: t.CLIENT_CHOICE };
    },
  },
  menu: {
    ask: (data) => t.operatorMenu(data.clientId!),
    answer: async (input, data, ctx) => {
      const choice = input.trim();
      const next = MENU[choice];
      const base = { clientId: data.clientId, clients: data.clients };
      if (next) return { next, data: base };
      if (choice === '6') return backToMenu(t.exceptionList(data.clientId!, await listExceptions(ctx.services.db, data.clientId!)));
      if (choice === '7' || choice === '8') {
        // The recaps go out as their commands send them, then the menu again; a refusal (link recaps off) is said before it.
        return orRepeat(async () => {
          const { db, now, timezone } = ctx.services;
          const client = await findClient(db, data.clientId!);
          if (!client) return { done: t.clientGoneText(data.clientId!) };
          if (choice === '7') await sendRegistration(ctx, client, 'belum', false);
          else await sendDayLinks(ctx, client, dayWindow(now(), timezone).date);
          return { next: 'menu', data: base };
        });
      }
      return { repeat: t.MENU_CHOICE };
    },
  },
  'add-nrp': {
    ask: () => t.ASK_NEW_NRP,
    answer: (input, data) => {
      const nrp = parseNrp(input);
      if (!nrp) return { repeat: MALFORMED_NRP };
      return { next: 'add-nama', data: { ...data, add: { nrp: storedNrp(nrp) } } };
    },
  },
  'add-nama': {
    ask: () => t.ASK_NAME,
    answer: async (input, data, ctx) => {
      const parsed = parseFieldValue('nama', input);
      if (!parsed.ok) return { repeat: t.badValue('nama', parsed.problem) };
      const choices = await rankChoices(ctx.services.db, data.clientId!);
      return { next: 'add-title', data: { ...data, choices, add: { ...data.add!, nama: String(parsed.value) } } };
    },
  },
  'add-title': {
    ask: (data) => t.askPick('Pangkat', data.choices ?? [], true),
    answer: async (input, data, ctx) => {
      const parsed = parseFieldValue('title', picked(input, data));
      if (!parsed.ok) return { repeat: t.badValue('title', parsed.problem) };
      const choices = await divisionChoices(ctx.services.db, data.clientId!);
      return { next: 'add-divisi', data: { ...data, choices, add: { ...data.add!, title: String(parsed.value) } } };
    },
  },
  'add-divisi': {
    ask: (data) => t.askPick('Satfung', data.choices ?? [], true),
    answer: (input, data) => {
      const parsed = parseFieldValue('divisi', picked(input, data));
      if (!parsed.ok) return { repeat: t.badValue('divisi', parsed.problem) };
      return { next: 'add-jabatan', data: { ...data, choices: undefined, add: { ...data.add!, divisi: String(parsed.value) } } };
    },
  },
  'add-jabatan': {
    ask: () => t.ASK_POSITION,
    answer: async (input, data, ctx) => {
      const none = input.trim() === '-';
      const parsed = none ? null : parseFieldValue('jabatan', input);
      if (parsed && !parsed.ok) return { repeat: t.badValue('jabatan', parsed.problem) };
      const { nrp, nama, title, divisi } = data.add!;
      const { db, now } = ctx.services;
      ctx.actOn(data.clientId!);
      const outcome = await addMember(
        db,
        chatActor(ctx.sender),
        { userId: nrp, clientId: data.clientId!, nama: nama!, title: title!, divisi: divisi!, jabatan: parsed ? String(parsed.value) : null },
        now(),
      );
      const base = { clientId: data.clientId, clients: data.clients };
      if (!outcome.ok) return { next: 'menu', data: base, say: t.alreadyExists(nrp, outcome.member.clientId === data.clientId) };
      return { next: 'menu', data: base, say: t.added(outcome.member, showNumbers(ctx)) };
    },
  },
  'edit-nrp': memberStep('edit-field'),
  'edit-field': {
    ask: () => t.FIELD_MENU_OPR,
    answer: async (input, data, ctx) => {
      const n = Number(input.trim());
      if (!/^\d+$/.test(input.trim())) return { repeat: t.FIELD_CHOICE_OPR };
      if (n === t.EDIT_FIELDS.length + 1) return { next: 'release', data };
      const field = t.EDIT_FIELDS[n - 1];
      if (!field) return { repeat: t.FIELD_CHOICE_OPR };
      const { db } = ctx.services;
      const choices = field === 'title' ? await rankChoices(db, data.clientId!) : field === 'divisi' ? await divisionChoices(db, data.clientId!) : undefined;
      return { next: 'edit-value', data: { ...data, field, choices } };
    },
  },
  'edit-value': {
    ask: (data) => (data.choices ? t.askPick(t.FIELD_LABEL[data.field!], data.choices, true) : t.askValue(data.field!)),
    answer: (input, data, ctx) => {
      const field = data.field!;
      const parsed = parseFieldValue(field, picked(input, data));
      if (!parsed.ok) return { repeat: t.badValue(field, parsed.problem) };
      return edit(ctx, data, field, parsed.value);
    },
  },
  release: {
    ask: async (data, ctx) => t.confirmWith(await card(ctx, data), t.ASK_RELEASE),
    answer: (input, data, ctx) => {
      const answer = answerOf(input);
      if (answer === 'yes') return edit(ctx, data, 'whatsapp', null);
      if (answer === 'no') return backToMenu(t.NOT_RELEASED);
      return { repeat: 'Balas *ya* atau *tidak*.' };
    },
  },
  'status-nrp': memberStep('status'),
  status: {
    ask: async (data, ctx) => t.confirmWith(await card(ctx, data), t.ASK_STATUS),
    answer: (input, data, ctx) => {
      const word = input.trim().toLowerCase();
      if (word !== 'aktif' && word !== 'nonaktif') return { repeat: t.ASK_STATUS };
      return edit(ctx, data, 'status', word === 'aktif');
    },
  },
  'exception-nrp': memberStep('exception'),
  exception: {
    ask: async (data, ctx) => t.confirmWith(await card(ctx, data), t.ASK_EXCEPTION),
    answer: (input, data, ctx) => {
      const answer = answerOf(input);
      if (!answer) return { repeat: t.ASK_EXCEPTION };
      return edit(ctx, data, 'exception', answer === 'yes');
    },
  },
  find: {
    ask: () => t.ASK_FIND,
    answer: (input, data, ctx) =>
      orRepeat(async () => {
        if (parseNrp(input)) return backToMenu(await card(ctx, { ...data, nrp: input }));
        const fragment = input.trim();
        if (fragment.length < 2) return { repeat: t.ASK_FIND };
        return backToMenu(t.found(await findByName(ctx.services.db, data.clientId!, fragment), fragment));
      }),
  },
};

export const operatorMenuFlow = defineFlow<OperatorMenuData>({ name: 'oprrequest', first: 'menu', steps: STEPS });
export const adminOperatorMenuFlow = defineFlow<OperatorMenuData>({ name: 'oprrequest-admin', first: 'client', steps: STEPS });
