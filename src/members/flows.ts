/**
 * The chat side of member registration and own data: the NRP look-up with its rules
 * (shared by `daftar#<NRP>` and the menus), and the menu steps, declared once and
 * started at different steps by `userrequest`, `daftar`, `lepas` and the profile-link
 * shortcut.
 */
import type { BaseContext } from '../bot/context.js';
import { chatActor } from '../audit/change-log.js';
import { defineFlow, type Flow, type Step, type StepOutcome } from '../bot/conversation.js';
import type { Platform } from '../compliance/handle.js';
import type { Sender } from '../identity/sender.js';
import { phoneChatId } from '../identity/wa-id.js';
import {
  type BindCandidate,
  bindBlock,
  bindNumber,
  findByNrp,
  NrpLookupLimit,
  parseNrp,
  releaseNumber,
  sameNrp,
} from './binding.js';
import {
  cleanText,
  divisionChoices,
  loadProfile,
  parseHandle,
  rankChoices,
  setHandle,
  setTextField,
  type TextField,
  textMax,
} from './profile.js';
import { REMINDER_MENU_CHOICE, reminderMenu } from '../reminders/texts.js';
import { ownReminderEnabled, reminderRefusal, switchReminder } from '../reminders/toggle.js';
import { checkHandle } from './handle-check.js';
import * as text from './texts.js';

/** What a member sees of a candidate before binding: name, rank, division. */
export type Preview = Pick<BindCandidate, 'userId' | 'nama' | 'title' | 'divisi'>;

export interface MemberFlowData {
  /** The member found by NRP, awaiting the sender's `ya`. */
  candidate?: Preview;
  /** A handle to store once the sender is bound (the profile-link shortcut). */
  handle?: { platform: Platform; handle: string };
  field?: TextField | Platform;
  /** The list a rank or division is picked from. */
  choices?: string[];
}

const YES = new Set(['ya', 'y', 'yes', 'iya', 'ok']);
const NO = new Set(['tidak', 't', 'no', 'n', 'tdk', 'gak', 'nggak']);

/** `ya` or `tidak` (and their common short forms) in what was typed, or null. */
export const answerOf = (input: string): 'yes' | 'no' | null => {
  const word = input.trim().toLowerCase();
  return YES.has(word) ? 'yes' : NO.has(word) ? 'no' : null;
};

/** Why this sender cannot bind at all (already bound, or no number known), or null. */
export function bindingBarrier(sender: Sender): string | null {
  if (sender.member) return text.numberTaken(sender.member.userId);
  if (!sender.phone) return text.NO_PHONE;
  return null;
}

export type LookUp = { candidate: Preview } | { refusal: string; final: boolean };

/** Tells the client's operator, through the outbox, who tried to bind an NRP bound to another number. */
async function tellOperator(ctx: BaseContext, candidate: BindCandidate): Promise<void> {
  ctx.services.log.warn({ nrp: candidate.userId, sender: ctx.sender.key }, 'binding refused: the NRP is bound to another number');
  if (!candidate.operator) return;
  await ctx.services.outbox.enqueue({
    chatId: phoneChatId(candidate.operator),
    key: `${ctx.message.id}:nrp-taken`,
    origin: 'broadcast',
    text: text.hijackNotice(candidate, ctx.sender, ctx.services.now(), ctx.services.timezone),
  });
}

/**
 * Finds the member an unbound sender names by NRP: a malformed or unknown NRP may be
 * typed again (`final` false); the hourly look-up limit, an inactive member or an NRP
 * bound to another number end the attempt.
 */
export async function lookUpForBinding(ctx: BaseContext, typed: string): Promise<LookUp> {
  const nrp = parseNrp(typed);
  const member = ctx.sender.member;
  // A bound member naming their own NRP: nothing to release, nothing to do.
  if (member && nrp && sameNrp(nrp, member.userId)) return { refusal: text.alreadyYours(member.userId), final: true };
  const barrier = bindingBarrier(ctx.sender);
  if (barrier) return { refusal: barrier, final: true };
  // A malformed NRP is refused before the limit: it never uses up a look-up.
  if (!nrp) return { refusal: text.MALFORMED_NRP, final: false };
  const { db, now, timezone, nrpLookupsPerHour } = ctx.services;
  const until = await new NrpLookupLimit(db, nrpLookupsPerHour).take(ctx.sender.key, now(), ctx.message.id);
  if (until) return { refusal: text.lookupLimit(nrpLookupsPerHour, until, timezone), final: true };
  const candidate = await findByNrp(db, nrp);
  if (!candidate) return { refusal: text.unknownNrp(nrp), final: false };
  const block = bindBlock(candidate, ctx.sender.phone!);
  if (block === 'inactive') return { refusal: text.inactiveMember(candidate.userId), final: true };
  if (block === 'nrp-taken') {
    await tellOperator(ctx, candidate);
    return { refusal: text.nrpTaken(candidate), final: true };
  }
  const { userId, nama, title, divisi } = candidate;
  return { candidate: { userId, nama, title, divisi } };
}

/** Binds after the sender's `ya`; then stores a pending handle. The reply text. */
async function bind(ctx: BaseContext, data: MemberFlowData): Promise<string> {
  // Already bound to this very NRP: this `ya` handled again after a database blip (or a
  // second confirmation); binding again answers with the card, and logs no second login.
  const again = ctx.sender.member?.userId === data.candidate!.userId && ctx.sender.phone !== null;
  const barrier = again ? null : bindingBarrier(ctx.sender);
  if (barrier) return barrier;
  const { db, now } = ctx.services;
  const outcome = await bindNumber(db, data.candidate!.userId, ctx.sender.phone!, now(), ctx.message.id, chatActor(ctx.sender));
  if (!outcome.ok) {
    switch (outcome.reason) {
      case 'not-found':
        return text.unknownNrp(data.candidate!.userId);
      case 'inactive':
        return text.inactiveMember(data.candidate!.userId);
      case 'nrp-taken':
        await tellOperator(ctx, outcome.candidate);
        return text.nrpTaken(outcome.candidate);
      case 'number-taken':
        return text.numberTaken(outcome.holder);
    }
  }
  const { candidate } = outcome;
  let after = '';
  if (data.handle) after = await setOwnHandle(ctx, candidate, data.handle.platform, data.handle.handle);
  const profile = (await loadProfile(db, candidate.userId))!;
  return after ? `${text.bound(profile)}\n\n${after}` : text.bound(profile);
}

/** Sets the sender's own handle after the profile check (the profile-link shortcut): the reply text. */
async function setOwnHandle(ctx: BaseContext, member: { userId: string; clientId: string | null }, platform: Platform, handle: string): Promise<string> {
  const verdict = await checkHandle(ctx, member, platform, handle, true);
  if (verdict.refused !== null) return verdict.refused;
  const stored = await setHandle(ctx.services.db, member, platform, handle, ctx.services.now(), chatActor(ctx.sender));
  if (!stored.ok) return text.handleTaken(platform, handle);
  await verdict.keep();
  return text.withNote(text.handleUpdated(platform, handle, member.userId), verdict.note);
}

const yesNo = (
  ask: (data: MemberFlowData, ctx: BaseContext) => string | Promise<string>,
  onYes: (data: MemberFlowData, ctx: BaseContext) => Promise<StepOutcome<MemberFlowData>>,
  onNo: string,
): Step<MemberFlowData> => ({
  ask,
  answer: async (input, data, ctx) => {
    const answer = answerOf(input);
    if (answer === 'yes') return onYes(data, ctx);
    if (answer === 'no') return { done: onNo };
    return { repeat: text.YES_OR_NO };
  },
});

const FIELDS: ReadonlyArray<TextField | Platform> = ['nama', 'title', 'divisi', 'jabatan', 'instagram', 'tiktok'];
const isPlatform = (f: TextField | Platform): f is Platform => f === 'instagram' || f === 'tiktok';

const STEPS: Record<string, Step<MemberFlowData>> = {
  /** An unbound sender types their NRP. */
  nrp: {
    ask: () => text.ASK_NRP,
    answer: async (input, data, ctx) => {
      const found = await lookUpForBinding(ctx, input);
      if ('candidate' in found) return { next: 'confirm', data: { ...data, candidate: found.candidate } };
      return found.final ? { done: found.refusal } : { repeat: found.refusal };
    },
  },
  /** Name, rank and division shown; `ya` binds. */
  confirm: yesNo(
    (data) => text.confirmBinding(data.candidate!),
    async (data, ctx) => ({ done: await bind(ctx, data) }),
    text.BINDING_DECLINED,
  ),
  /** A bound member's menu: see or update their data. */
  menu: {
    ask: () => text.USER_MENU,
    answer: async (input, _data, ctx) => {
      const member = ctx.sender.member;
      if (!member) return { done: text.NOT_BOUND };
      const choice = input.trim().toLowerCase();
      if (choice === '1' || choice.includes('lihat')) {
        const profile = await loadProfile(ctx.services.db, member.userId);
        return { done: profile ? `${text.memberCard(profile)}\n\nKetik *userrequest* untuk mengubah data Anda.` : text.NOT_BOUND };
      }
      if (choice === '2' || choice.includes('update') || choice.includes('ubah')) return { next: 'field' };
      if (choice === '3' || choice.includes('ingat') || choice.includes('notif')) return { next: 'reminder' };
      return { repeat: text.MENU_CHOICE };
    },
  },
  /** Option 3: the daily reminder (`notifwa`), on or off. */
  reminder: {
    ask: async (_data, ctx) => (reminderRefusal(ctx.sender) ?? reminderMenu(await ownReminderEnabled(ctx), ctx.services.reminderTime)),
    answer: async (input, _data, ctx) => {
      const choice = input.trim().toLowerCase();
      const wanted = choice === '1' || choice === 'on' ? true : choice === '2' || choice === 'off' ? false : undefined;
      if (wanted === undefined) return { repeat: REMINDER_MENU_CHOICE };
      return { done: reminderRefusal(ctx.sender, wanted) ?? (await switchReminder(ctx, wanted)) };
    },
  },
  field: {
    ask: () => text.FIELD_MENU,
    answer: async (input, data, ctx) => {
      const field = FIELDS[Number(input.trim()) - 1];
      if (!/^\d$/.test(input.trim()) || !field) return { repeat: text.FIELD_CHOICE };
      const { db } = ctx.services;
      const clientId = ctx.sender.member?.clientId ?? null;
      const choices =
        field === 'title' ? await rankChoices(db, clientId) : field === 'divisi' ? await divisionChoices(db, clientId) : undefined;
      return { next: 'value', data: { ...data, field, ...(choices && choices.length > 0 ? { choices } : {}) } };
    },
  },
  value: {
    ask: (data) => {
      const field = data.field!;
      if (isPlatform(field)) return text.askHandle(field);
      return data.choices ? text.askChoice(field, data.choices) : text.askText(field);
    },
    answer: async (input, data, ctx) => {
      const member = ctx.sender.member;
      if (!member) return { done: text.NOT_BOUND };
      const { db, now } = ctx.services;
      const field = data.field!;
      let shown: string;
      let note: string | null = null;
      if (isPlatform(field)) {
        const parsed = parseHandle(input, field);
        if (!parsed.ok) return { repeat: text.badHandle(field, parsed.reason) };
        const verdict = await checkHandle(ctx, member, field, parsed.handle, true);
        if (verdict.refused !== null) return { repeat: verdict.refused };
        const stored = await setHandle(db, member, field, parsed.handle, now(), chatActor(ctx.sender));
        if (!stored.ok) return { repeat: text.handleTaken(field, parsed.handle) };
        await verdict.keep();
        shown = `@${parsed.handle}`;
        note = verdict.note;
      } else {
        // A number picks from the list (a convenience); anything else is the value itself.
        const typed = input.trim();
        let value: string | null;
        if (data.choices && /^\d+$/.test(typed)) {
          value = data.choices[Number(typed) - 1] ?? null;
          if (!value) return { repeat: text.badChoice(field, data.choices.length) };
        } else {
          value = cleanText(input, textMax(field));
          if (!value) return { repeat: text.badText(field) };
        }
        await setTextField(db, chatActor(ctx.sender), member.userId, field, value, now());
        shown = value;
      }
      const profile = (await loadProfile(db, member.userId))!;
      return { done: text.fieldUpdated(text.FIELD_LABEL[field], shown, profile, note) };
    },
  },
  /** The profile-link shortcut: `ya` stores the handle (after binding, for an unbound number). */
  offer: yesNo(
    (data) => text.offerHandle(data.handle!.platform, data.handle!.handle),
    async (data, ctx) => {
      const member = ctx.sender.member;
      const { platform, handle } = data.handle!;
      if (member) return { done: await setOwnHandle(ctx, member, platform, handle) };
      const barrier = bindingBarrier(ctx.sender);
      if (barrier) return { done: barrier };
      return { next: 'nrp', say: 'Nomor WhatsApp ini belum terhubung dengan NRP/NIP; hubungkan dulu.' };
    },
    text.HANDLE_DECLINED,
  ),
  /** `lepas`: the member releases their own binding. */
  release: yesNo(
    async (_data, ctx) => {
      const member = ctx.sender.member;
      const profile = member ? await loadProfile(ctx.services.db, member.userId) : null;
      return profile ? text.confirmRelease(profile) : text.NOT_BOUND;
    },
    async (_data, ctx) => {
      const { sender, services } = ctx;
      if (!sender.member) return { done: text.NOT_BOUND };
      const ids = [sender.phone, sender.lid].filter((v): v is string => v !== null);
      const done = await releaseNumber(services.db, sender.member.userId, ids, services.now(), chatActor(sender));
      return { done: done ? text.released(sender.member.userId) : text.ALREADY_RELEASED };
    },
    text.RELEASE_DECLINED,
  ),
};

const variant = (name: string, first: string): Flow<MemberFlowData> => defineFlow({ name, first, steps: STEPS });

/** `userrequest` from a bound member: the menu. */
export const memberMenuFlow = variant('userrequest', 'menu');
/** `userrequest` from an unbound number: NRP, then confirmation. */
export const registerFlow = variant('userrequest-daftar', 'nrp');
/** `daftar#<NRP>`: the NRP was found; confirmation. */
export const confirmBindingFlow = variant('daftar', 'confirm');
/** A profile link sent alone: offer the update. */
export const profileLinkFlow = variant('linkprofil', 'offer');
/** `lepas`: confirm, then release. */
export const releaseFlow = variant('lepas', 'release');
