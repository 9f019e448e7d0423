// One training run as the worker drives it: the stages of its plan one after another (each
// starting from the weights the previous one ended with), and the controls a person uses —
// pause, resume, a single update, stop. The trainer (src/rl/trainer.ts) does the updates; a
// pause is an abort of its loop after the update in flight, and resuming is the trainer's
// exact resume from the checkpoint that pause saved, so a paused run continues bit for bit.
//
// No comlink and no DOM here: the worker wires the sink to the page, tests drive it in Node.
import type { Backend } from '../../kernels/backend';
import type { TrainSettings } from '../../rl/config/schema';
import type { Vocab } from '../../text/vocab';
import type { Stage, UpdateMetrics } from '../../rl/metrics';
import type { CheckpointState } from '../../rl/model/checkpoint';
import { stageUpdates } from '../../rl/stage-list';
import type { StageDefinition, StageRunner } from '../../rl/stage-types';
import { registeredStages, stageDefinition } from '../../rl/stages';
import { DivergenceError, runMetaOf, train, type CheckpointKind } from '../../rl/trainer';
import type { RunState } from '../trainer-api';

export interface SessionSink {
  metrics(m: UpdateMetrics): void;
  /** Awaited: the trainer waits, so checkpoints are stored in order. */
  checkpoint(
    stage: Stage,
    update: number,
    kind: CheckpointKind,
    state: CheckpointState,
  ): Promise<void>;
  state(state: RunState, message: string | null): void;
}

export interface SessionInit {
  be: Backend;
  vocab: Vocab;
  settings: TrainSettings;
  /** Stages in order, e.g. [0, 1, 2], or [1, 2] from a stage-0 checkpoint. */
  plan: Stage[];
  /** Weights the first stage starts from (fresh runs). */
  init?: CheckpointState;
  /** Continue a run: its latest checkpoint and the start checkpoint of that stage. */
  resume?: { checkpoint: CheckpointState; start: CheckpointState };
  sink: SessionSink;
  /** Let the worker read its messages between updates (default: a zero-delay timer). */
  yieldToEvents?: () => Promise<void>;
  /**
   * After a failure: resolves with the loss message if the device is being lost, else null.
   * A lost GPU fails the update in flight (e.g. "Buffer was unmapped before mapping was
   * resolved") before `device.lost` settles, so the failure alone cannot tell.
   */
  deviceLoss?: () => Promise<string | null>;
}

const nextTask = () => new Promise<void>((ok) => setTimeout(ok, 0));

/**
 * The stage's runner with a pause point after every update: the worker's message queue runs
 * (a pause or stop arrives) before the trainer decides whether to take the next update. The
 * CPU backend's reads resolve at once, so without it the loop would never let messages in.
 */
function yielding(def: StageDefinition, yieldToEvents: () => Promise<void>): StageDefinition {
  return {
    ...def,
    async create(setup): Promise<StageRunner> {
      const runner = await def.create(setup);
      return {
        async step(ctx) {
          const m = await runner.step(ctx);
          await yieldToEvents();
          return m;
        },
        evaluate: runner.evaluate && (() => runner.evaluate!()),
        release: runner.release && (() => runner.release!()),
      };
    },
  };
}

export class TrainingSession {
  state: RunState = 'idle';
  message: string | null = null;
  readonly plan: Stage[];
  stage: Stage;
  /** Updates completed in the current stage. */
  update = 0;
  be: Backend;

  readonly #vocab: Vocab;
  readonly #settings: TrainSettings;
  readonly #sink: SessionSink;
  readonly #yield: () => Promise<void>;
  readonly #deviceLoss: () => Promise<string | null>;
  /** Weights a fresh stage starts from. */
  #init: CheckpointState | undefined;
  /** Where a paused stage continues from. */
  #resume: { checkpoint: CheckpointState; start: CheckpointState } | null;
  /** The newest checkpoint of the run (what save() hands out). */
  #latest: CheckpointState | null = null;
  #controller: AbortController | null = null;
  #stopping = false;
  /** singleUpdate(): 'pending' until its update is taken, then 'taken' until the loop ends. */
  #single: 'off' | 'pending' | 'taken' = 'off';
  #lost: string | null = null;
  /** The current stage's weights at update 0 (its 'start' checkpoint), once known. */
  #stageStart: CheckpointState | undefined;
  #loop: Promise<void> | null = null;

  constructor(init: SessionInit) {
    if (init.plan.length === 0) throw new Error('a run needs at least one stage');
    this.be = init.be;
    this.#vocab = init.vocab;
    this.#settings = init.settings;
    this.#sink = init.sink;
    this.#yield = init.yieldToEvents ?? nextTask;
    this.#deviceLoss = init.deviceLoss ?? (async () => null);
    this.plan = [...init.plan];
    this.#init = init.init;
    this.#resume = init.resume ?? null;
    if (init.resume) {
      const meta = runMetaOf(init.resume.checkpoint);
      if (meta.stage !== this.plan[0])
        throw new Error(
          `the plan starts at stage ${this.plan[0]}, the checkpoint is stage ${meta.stage}`,
        );
      this.update = meta.update;
      this.#latest = init.resume.checkpoint;
      this.#stageStart = init.resume.start;
    }
    this.stage = this.plan[0];
  }

  get settings(): TrainSettings {
    return this.#settings;
  }

  /** Updates the current stage is set to run. */
  get updates(): number {
    return stageUpdates(this.#settings, this.stage);
  }

  /** The newest checkpoint (the paused state when paused). */
  get latest(): CheckpointState | null {
    return this.#latest;
  }

  get active(): boolean {
    return this.#loop !== null;
  }

  /** Train until the plan ends, a pause, a stop or a failure; resolves when the loop ends. */
  run(): Promise<void> {
    if (this.#loop) return this.#loop;
    if (this.state === 'finished' || this.state === 'stopped' || this.state === 'failed')
      return Promise.resolve();
    this.#loop = this.#runStages().finally(() => {
      this.#loop = null;
      this.#single = 'off';
    });
    return this.#loop;
  }

  /** Stop after the update in flight; resolves once paused (its checkpoint handed over). */
  async pause(): Promise<void> {
    if (!this.#loop) return;
    this.#set('pausing', null);
    this.#controller?.abort();
    await this.#loop;
  }

  /** Take exactly one update, then pause again. */
  async singleUpdate(): Promise<void> {
    if (this.#loop) await this.pause();
    this.#single = 'pending';
    await this.run();
  }

  /** End the run for good (its last state is checkpointed). */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#loop) {
      this.#controller?.abort();
      await this.#loop;
    } else if (this.state !== 'finished' && this.state !== 'failed') {
      this.#set('stopped', `Stopped at stage ${this.stage}, update ${this.update}.`);
    }
  }

  /** The device is gone: stop the loop; the run stays resumable on a new backend. */
  deviceLost(message: string): void {
    this.#lost = message;
    this.#controller?.abort();
  }

  /** Continue on another backend (after a device loss). */
  replaceBackend(be: Backend): void {
    if (this.#loop) throw new Error('cannot change the backend while training');
    this.be = be;
    this.#lost = null;
  }

  async #runStages(): Promise<void> {
    this.#set('running', null);
    try {
      for (;;) {
        const result = await this.#trainStage();
        if (this.#lost) return this.#deviceLostPause();
        if (result === 'aborted') {
          if (this.#stopping)
            return this.#set('stopped', `Stopped at stage ${this.stage}, update ${this.update}.`);
          return this.#set('paused', null);
        }
        const next = this.plan[this.plan.indexOf(this.stage) + 1];
        if (next === undefined) return this.#set('finished', null);
        if (!registeredStages().includes(next))
          return this.#set(
            'finished',
            `Stage ${next} is not available in this build yet: the run ends after stage ${this.stage}.`,
          );
        this.#init = this.#latest ?? undefined;
        this.#resume = null;
        this.#stageStart = undefined;
        this.stage = next;
        this.update = 0;
        if (this.#stopping)
          return this.#set(
            'stopped',
            `Stopped after stage ${this.plan[this.plan.indexOf(next) - 1]}.`,
          );
        if (this.#single === 'taken') return this.#set('paused', null);
      }
    } catch (e) {
      this.#lost ??= await this.#deviceLoss();
      if (this.#lost) return this.#deviceLostPause();
      if (e instanceof DivergenceError) return this.#set('failed', e.message);
      this.#set('failed', e instanceof Error ? e.message : String(e));
    }
  }

  async #trainStage(): Promise<'done' | 'aborted'> {
    const controller = new AbortController();
    this.#controller = controller;
    if (this.#stopping || this.#lost) controller.abort();
    const stage = this.stage;
    const result = await train({
      be: this.be,
      settings: this.#settings,
      stage,
      vocab: this.#vocab,
      init: this.#resume ? undefined : this.#init,
      resume: this.#resume?.checkpoint,
      start: this.#resume?.start,
      signal: controller.signal,
      definition: yielding(stageDefinition(stage), this.#yield),
      onMetrics: (m) => {
        this.update = m.update;
        this.#sink.metrics(m);
        if (this.#single === 'pending') {
          this.#single = 'taken';
          controller.abort();
        }
      },
      saveCheckpoint: async (kind, update, state) => {
        if (kind === 'start') this.#stageStart = state;
        this.#latest = state;
        await this.#sink.checkpoint(stage, update, kind, state);
      },
    });
    this.update = result.update;
    if (!result.aborted) return 'done';
    this.#keepResumePoint();
    return 'aborted';
  }

  /** Where this stage continues: its newest checkpoint, or a fresh start if it saved none. */
  #keepResumePoint(): void {
    if (this.#stageStart && this.#latest && runMetaOf(this.#latest).stage === this.stage)
      this.#resume = { checkpoint: this.#latest, start: this.#stageStart };
  }

  #deviceLostPause(): void {
    this.#keepResumePoint();
    const where = this.#resume
      ? `the run is paused at its last checkpoint (stage ${this.stage}, update ${runMetaOf(this.#resume.checkpoint).update})`
      : `stage ${this.stage} starts again from its beginning`;
    this.update = this.#resume ? runMetaOf(this.#resume.checkpoint).update : 0;
    this.#set(
      'device-lost',
      `The GPU device was lost (${this.#lost}); ${where}. Resume continues on a new device.`,
    );
  }

  #set(state: RunState, message: string | null): void {
    this.state = state;
    this.message = message;
    this.#sink.state(state, message);
  }
}
