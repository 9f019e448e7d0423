// The task templates as the pages list them: grouped under their main app, apps and templates
// in name order. The gallery, the agent viewer and the GRPO explainer pick from this list.
import { TEMPLATES, type AnyTemplate } from '../../envs';

/** The app a template is listed under: its first app other than the launcher. */
export function mainApp(t: AnyTemplate): string {
  return t.apps.find((a) => a !== 'launcher') ?? t.apps[0];
}

const ALL = [...TEMPLATES.values()].sort((a, b) => (a.id < b.id ? -1 : 1));

/** Apps that have at least one task template, in name order. */
export const TASK_APPS: readonly string[] = ALL.map(mainApp)
  .filter((app, i, all) => all.indexOf(app) === i)
  .sort();

export function templatesOf(app: string): AnyTemplate[] {
  return ALL.filter((t) => mainApp(t) === app);
}

/** The app a page opens on: `preferred` when it has templates, else the first. */
export function initialApp(preferred?: string): string {
  return preferred !== undefined && TASK_APPS.includes(preferred)
    ? preferred
    : (TASK_APPS[0] ?? '');
}
