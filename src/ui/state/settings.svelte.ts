// The run setup's state: the preset the settings start from, the text of every field (the
// draft), and what the schema says about it — valid settings, or one message per bad field.
// Valid settings are mirrored in the URL hash (only the fields that differ from the preset),
// so a link reproduces the run; a link's bad or unknown keys are listed, not applied.
import {
  FIELD_BY_KEY,
  settingsPreset,
  toFlat,
  type SettingsPresetName,
  type TrainSettings,
} from '../../rl/config/schema';
import { PRESETS } from '../../rl/model/config';
import { checkDraft, draftOf, type Draft } from '../train/form';
import { formatHash, parseHash, type HashProblem } from '../train/settings-hash';

export class SettingsState {
  preset = $state<SettingsPresetName>('quick-demo');
  draft = $state<Draft>({});
  /** What a link asked for that could not be applied. */
  linkProblems = $state.raw<HashProblem[]>([]);

  check = $derived(checkDraft(this.draft, this.preset));
  /** Null while any field is invalid. */
  settings = $derived<TrainSettings | null>(this.check.settings);
  errors = $derived(this.check.errors);
  errorCount = $derived(Object.keys(this.check.errors).length);

  constructor(hash: string) {
    this.readHash(hash);
  }

  /** Take the settings of a link ('#/train?preset=…&key=value'). */
  readHash(hash: string): void {
    const parsed = parseHash(hash);
    this.preset = parsed.preset;
    this.draft = draftOf(parsed.settings);
    this.linkProblems = parsed.problems;
  }

  choosePreset(name: SettingsPresetName): void {
    this.preset = name;
    this.draft = draftOf(settingsPreset(name));
    this.linkProblems = [];
  }

  set(key: string, text: string): void {
    this.draft[key] = text;
  }

  /** Back to the preset's values. */
  reset(): void {
    this.choosePreset(this.preset);
  }

  /**
   * Placeholder of an empty model field: the value the model preset gives it (the model
   * preset as the draft has it now, else the settings preset's).
   */
  placeholder(key: string): string {
    const f = FIELD_BY_KEY.get(key);
    if (!f || f.group !== 'model' || f.default !== null) return '';
    const name = this.draft['model.preset'] as keyof typeof PRESETS;
    const model = PRESETS[name] ?? PRESETS[settingsPreset(this.preset).model.preset];
    return String(model[key.slice('model.'.length) as keyof typeof model]);
  }

  /** The hash for these settings, or null while they are invalid. */
  hash(view: string): string | null {
    return this.settings ? formatHash(view, this.preset, this.settings) : null;
  }

  /** Mirror valid settings in the address bar (the Train view calls it) without adding history. */
  writeHash(): void {
    const next = this.hash('train');
    if (next === null || location.hash === next) return;
    history.replaceState(history.state, '', next);
  }

  /** True when the settings are exactly the preset's (nothing edited). */
  get pristine(): boolean {
    const s = this.settings;
    if (!s) return false;
    const a = toFlat(s);
    const b = toFlat(settingsPreset(this.preset));
    return Object.keys({ ...a, ...b }).every((k) => a[k] === b[k]);
  }
}

let shared: SettingsState | null = null;

/** The page's run setup, read from the address bar once and kept while other views show. */
export function sharedSettingsState(): SettingsState {
  if (!shared) {
    // Its own root, so its deriveds outlive the view that first asked for it.
    $effect.root(() => {
      shared = new SettingsState(location.hash);
    });
  }
  return shared!;
}
