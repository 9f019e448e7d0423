// On a static host that sends no COOP/COEP headers, the page is cross-origin isolated only
// once the service worker serves it (src/workers/sw.ts adds the headers). On the first visit
// the worker takes control of a page the server already delivered, so reload once then; a
// session flag keeps a browser that cannot be isolated from reloading again and again.
const RELOADED = 'tracelab-isolation-reload';

export function reloadOnceIsolable(): void {
  if (window.crossOriginIsolated || !('serviceWorker' in navigator)) return;
  const reload = () => {
    if (sessionStorage.getItem(RELOADED)) return;
    sessionStorage.setItem(RELOADED, '1');
    location.reload();
  };
  if (navigator.serviceWorker.controller) reload();
  else navigator.serviceWorker.addEventListener('controllerchange', reload, { once: true });
}
