// The stage list is the one place stage numbers come from: every implementation registered
// under its place in the list, and the per-stage settings read through it.
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/rl/config/schema';
import {
  isStage,
  isSupervised,
  perStage,
  STAGE,
  STAGE_LIST,
  stageLearningRate,
  STAGES,
  stagesFrom,
  stageUpdates,
} from '../../src/rl/stage-list';
import { registeredStages, stageDefinition } from '../../src/rl/stages';

describe('stage list', () => {
  it('numbers the stages by their place in the list', () => {
    expect(STAGES).toEqual(STAGE_LIST.map((_, i) => i));
    STAGE_LIST.forEach((s, i) => expect(STAGE[s.key]).toBe(i));
    expect(stagesFrom(STAGE.trajectory)).toEqual(STAGES.slice(1));
    expect(isStage(STAGES.length)).toBe(false);
    expect(isStage(-1)).toBe(false);
    expect(isStage('0')).toBe(false);
  });

  it('has an implementation for every stage, registered under its own number and title', () => {
    expect(registeredStages()).toEqual(STAGES);
    for (const s of STAGES) {
      expect(stageDefinition(s).stage).toBe(s);
      expect(stageDefinition(s).name).toBe(STAGE_LIST[s].title);
    }
  });

  it('reads each stage its own update count and learning rate', () => {
    const settings = defaultSettings();
    settings.run.sftUpdates = 11;
    settings.run.stage1Updates = 22;
    settings.run.stage2Updates = 33;
    settings.optimiser.sftLr = 0.5;
    settings.optimiser.lr = 0.25;
    expect(perStage((s) => stageUpdates(settings, s))).toEqual([11, 22, 33]);
    expect(perStage((s) => stageLearningRate(settings, s))).toEqual([0.5, 0.25, 0.25]);
    expect(perStage(isSupervised)).toEqual([true, false, false]);
  });
});
