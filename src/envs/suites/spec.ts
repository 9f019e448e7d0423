// The seven benchmark suites, each a miniature of one of the paper's benchmarks, and which task
// templates belong to each. Membership comes from the templates' own tags (read from the
// registry, so new templates join by themselves); a template whose suite tag names none of ours
// is placed by its platform and apps instead. There is no list of template ids anywhere here.
import { TEMPLATES } from '../registry';
import type { AnyTemplate } from '../task';

export const SUITE_NAMES = [
  'mobile-online',
  'desktop-online',
  'mobile-offline-high',
  'cross-app-offline',
  'web-offline',
  'tools',
  'tools-multihop',
] as const;

export type SuiteName = (typeof SUITE_NAMES)[number];
/** online: play episodes, score success; offline: score one logged step at a time; tools: tool calls. */
export type SuiteKind = 'online' | 'offline' | 'tools';

export interface SuiteSpec {
  name: SuiteName;
  kind: SuiteKind;
  /** The paper's benchmark this suite mirrors. */
  mirrors: string;
  /** Evaluation size: tasks (online, tools) or at least this many logged steps (offline). */
  size: number;
  unit: 'tasks' | 'steps';
  /** The metrics reported, as named in SuiteResult. */
  metrics: string[];
  /** Offset inside each split's seed range, so suites that share templates never share seeds. */
  seedOffset: number;
}

export const SUITES: Record<SuiteName, SuiteSpec> = {
  'mobile-online': {
    name: 'mobile-online',
    kind: 'online',
    mirrors: 'AndroidWorld',
    size: 100,
    unit: 'tasks',
    metrics: ['successRate'],
    seedOffset: 0,
  },
  'desktop-online': {
    name: 'desktop-online',
    kind: 'online',
    mirrors: 'OSWorld-Verified',
    size: 100,
    unit: 'tasks',
    metrics: ['successRate'],
    seedOffset: 100_000,
  },
  'mobile-offline-high': {
    name: 'mobile-offline-high',
    kind: 'offline',
    mirrors: 'AndroidControl-High',
    size: 500,
    unit: 'steps',
    metrics: ['stepSuccessRate'],
    seedOffset: 200_000,
  },
  'cross-app-offline': {
    name: 'cross-app-offline',
    kind: 'offline',
    mirrors: 'GUI-Odyssey',
    size: 500,
    unit: 'steps',
    metrics: ['stepSuccessRate'],
    seedOffset: 300_000,
  },
  'web-offline': {
    name: 'web-offline',
    kind: 'offline',
    mirrors: 'Multimodal-Mind2Web',
    size: 500,
    unit: 'steps',
    metrics: ['elementAccuracy', 'operationF1', 'stepSuccessRate'],
    seedOffset: 400_000,
  },
  tools: {
    name: 'tools',
    kind: 'tools',
    mirrors: 'GTA',
    size: 100,
    unit: 'tasks',
    metrics: ['answerAccuracy', 'toolAccuracy', 'executionRate'],
    seedOffset: 500_000,
  },
  'tools-multihop': {
    name: 'tools-multihop',
    kind: 'tools',
    mirrors: 'GAIA',
    size: 100,
    unit: 'tasks',
    metrics: ['answerAccuracy', 'level1', 'level2', 'level3'],
    seedOffset: 600_000,
  },
};

export function isSuiteName(name: string): name is SuiteName {
  return (SUITE_NAMES as readonly string[]).includes(name);
}

export function getSuite(name: string): SuiteSpec {
  if (!isSuiteName(name))
    throw new Error(`unknown suite '${name}'; valid suites: ${SUITE_NAMES.join(', ')}`);
  return SUITES[name];
}

// ---------------------------------------------------------------------------------------------
// Membership of GUI task templates

/**
 * Suite tags the app engineers use (the paper's benchmark names, or ours), normalised to lower
 * case without spaces or underscores. A tag for the mobile family in general feeds both mobile
 * suites; a tag for one of them feeds that one only.
 */
const TAG_TO_SUITES: Record<string, SuiteName[]> = {
  'android-world': ['mobile-online', 'mobile-offline-high'],
  androidworld: ['mobile-online', 'mobile-offline-high'],
  mobile: ['mobile-online', 'mobile-offline-high'],
  'mobile-online': ['mobile-online'],
  'android-control': ['mobile-offline-high'],
  androidcontrol: ['mobile-offline-high'],
  'android-control-high': ['mobile-offline-high'],
  'mobile-offline': ['mobile-offline-high'],
  'mobile-offline-high': ['mobile-offline-high'],
  osworld: ['desktop-online'],
  'osworld-verified': ['desktop-online'],
  desktop: ['desktop-online'],
  'desktop-online': ['desktop-online'],
  'gui-odyssey': ['cross-app-offline'],
  guiodyssey: ['cross-app-offline'],
  'cross-app': ['cross-app-offline'],
  'cross-app-offline': ['cross-app-offline'],
  mind2web: ['web-offline'],
  'multimodal-mind2web': ['web-offline'],
  web: ['web-offline'],
  'web-offline': ['web-offline'],
};

const normaliseTag = (tag: string): string =>
  tag
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');

/** Apps a template uses besides the launcher (opening apps from home is not "cross-app"). */
function contentApps(t: AnyTemplate): string[] {
  return t.apps.filter((a) => a !== 'launcher');
}

/** The GUI suites a template belongs to: by its suite tag, else by platform and apps. */
export function suitesOfTemplate(t: AnyTemplate): SuiteName[] {
  const byTag = TAG_TO_SUITES[normaliseTag(t.tags.suite)];
  if (byTag) return byTag;
  if (t.platform === 'desktop') return ['desktop-online'];
  if (t.platform === 'web') return ['web-offline'];
  if (t.tags.category === 'cross-app' || contentApps(t).length > 1) return ['cross-app-offline'];
  return ['mobile-online', 'mobile-offline-high'];
}

/** Templates of a GUI suite, in id order (so instance lists do not depend on file order). */
export function suiteTemplates(
  suite: SuiteName,
  templates: Iterable<AnyTemplate> = TEMPLATES.values(),
): AnyTemplate[] {
  return [...templates]
    .filter((t) => suitesOfTemplate(t).includes(suite))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
