/// <reference types="vite-plugin-pwa/client" />
// Entry point: mount the app shell. The service worker (offline, install, cross-origin
// isolation on any host) is registered by vite-plugin-pwa's virtual module.
import { mount } from 'svelte';
import { registerSW } from 'virtual:pwa-register';
import App from './ui/App.svelte';
import { viewFromHash } from './ui/state/nav.svelte';
import { loadView } from './ui/views';
import { afterThisTask } from './ui/defer';
import { reloadOnceIsolable } from './ui/isolation';
import './ui/app.css';

// The first view's chunk before the first paint (App loads the others when opened); if it
// fails to load, App shows why.
const first = await loadView(viewFromHash(location.hash)).catch(() => null);
// Evaluating the code and building the page are two tasks, not one long one: a slow phone
// answers input between them.
await afterThisTask();
mount(App, { target: document.getElementById('app')!, props: { first } });
registerSW({ immediate: true });
reloadOnceIsolable();
