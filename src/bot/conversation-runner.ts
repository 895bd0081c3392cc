/**
 * Runs declared flows: asks, judges answers, moves between steps, finishes. A change
 * of state is handed to `record`, which the router writes with the message's replies.
 */
import type { BaseContext } from './context.js';
import type { ConversationChange, ConversationState, Flow, Step } from './conversation.js';
import { CANCEL_WORDS, CONVERSATION_CANCELLED } from './texts.js';

export class ConversationRunner {
  constructor(
    private readonly record: (ctx: BaseContext, change: ConversationChange) => void,
    private readonly timeoutMs: number,
  ) {}

  private expiry(ctx: BaseContext): Date {
    return new Date(ctx.services.now().getTime() + this.timeoutMs);
  }

  private step<D>(flow: Flow<D>, name: string): Step<D> {
    const step = flow.steps[name];
    if (!step) throw new Error(`flow ${flow.name} has no step ${name}`);
    return step;
  }

  async start<D>(ctx: BaseContext, flow: Flow<D>, data: D): Promise<void> {
    await this.enter(ctx, flow, flow.first, data);
  }

  private async enter<D>(ctx: BaseContext, flow: Flow<D>, stepName: string, data: D, say?: string): Promise<void> {
    const question = await this.step(flow, stepName).ask(data, ctx);
    this.record(ctx, {
      save: { chatId: ctx.chat.id, senderId: ctx.sender.key, flow: flow.name, step: stepName, data, expiresAt: this.expiry(ctx) },
    });
    await ctx.reply(say ? `${say}\n\n${question}` : question);
  }

  /** Feeds the sender's message to the conversation they are in. */
  async continue(ctx: BaseContext, state: ConversationState, flow: Flow<unknown>): Promise<void> {
    const input = ctx.message.text.trim();
    if (CANCEL_WORDS.has(input.toLowerCase())) {
      this.record(ctx, { end: state });
      await ctx.reply(CONVERSATION_CANCELLED);
      return;
    }
    const step = this.step(flow, state.step);
    const outcome = await step.answer(input, state.data, ctx);
    if ('done' in outcome) {
      this.record(ctx, { end: state });
      await ctx.reply(outcome.done);
    } else if ('repeat' in outcome) {
      // A wrong answer still counts as activity: the idle timer starts again.
      this.record(ctx, { save: { ...state, expiresAt: this.expiry(ctx) } });
      await ctx.reply(`${outcome.repeat}\n\n${await step.ask(state.data, ctx)}`);
    } else {
      await this.enter(ctx, flow, outcome.next, outcome.data ?? state.data, outcome.say);
    }
  }
}
