// All apps and task templates, collected from src/envs/apps/*.ts (default export: one app)
// and src/envs/tasks/*.ts (default export: a list of templates). Adding a file adds it here;
// no shared list to edit.
import type { AnyApp } from './app';
import type { AnyTemplate } from './task';

const appModules = import.meta.glob<{ default: AnyApp }>('./apps/*.ts', { eager: true });
const taskModules = import.meta.glob<{ default: AnyTemplate[] }>('./tasks/*.ts', { eager: true });

function collectApps(): Map<string, AnyApp> {
  const apps = new Map<string, AnyApp>();
  for (const path of Object.keys(appModules).sort()) {
    const app = appModules[path].default;
    if (!app || typeof app.view !== 'function')
      throw new Error(`${path}: default export is not an app`);
    if (apps.has(app.name)) throw new Error(`duplicate app name '${app.name}' in ${path}`);
    apps.set(app.name, app);
  }
  return apps;
}

function collectTemplates(): Map<string, AnyTemplate> {
  const templates = new Map<string, AnyTemplate>();
  for (const path of Object.keys(taskModules).sort()) {
    const list = taskModules[path].default;
    if (!Array.isArray(list)) throw new Error(`${path}: default export is not a list of templates`);
    for (const t of list) {
      if (templates.has(t.id)) throw new Error(`duplicate template id '${t.id}' in ${path}`);
      for (const a of t.apps) if (!APPS.has(a)) throw new Error(`${t.id}: unknown app '${a}'`);
      templates.set(t.id, t);
    }
  }
  return templates;
}

export const APPS: ReadonlyMap<string, AnyApp> = collectApps();
export const TEMPLATES: ReadonlyMap<string, AnyTemplate> = collectTemplates();

export function getApp(name: string): AnyApp {
  const app = APPS.get(name);
  if (!app) throw new Error(`unknown app '${name}'`);
  return app;
}

export function getTemplate(id: string): AnyTemplate {
  const t = TEMPLATES.get(id);
  if (!t) throw new Error(`unknown task template '${id}'`);
  return t;
}
