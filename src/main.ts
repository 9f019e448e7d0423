/// <reference types="vite-plugin-pwa/client" />
// Entry point: mount the app shell. The service worker (offline, install, cross-origin
// isolation on any host) is registered by vite-plugin-pwa's virtual module.
import { mount } from 'svelte';
import { registerSW } from 'virtual:pwa-register';
import App from './ui/App.svelte';
import { reloadOnceIsolable } from './ui/isolation';
import './ui/app.css';

mount(App, { target: document.getElementById('app')! });
registerSW({ immediate: true });
reloadOnceIsolable();
