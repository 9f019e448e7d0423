// Which view is shown, mirrored in the URL hash (#/selftest) so a link opens the same view.
export interface View {
  id: string;
  title: string;
  /** False for views that are planned but not built: the nav says so and they cannot be opened. */
  ready: boolean;
}

export const VIEWS: readonly View[] = [
  { id: 'train', title: 'Train', ready: true },
  { id: 'selftest', title: 'Self-test', ready: true },
  { id: 'worlds', title: 'World gallery', ready: true },
  { id: 'runs', title: 'Runs', ready: true },
  { id: 'agent', title: 'Agent viewer', ready: true },
  { id: 'grpo', title: 'GRPO explainer', ready: true },
];

// The Train page opens first: `npm start` lands on the quick demo, ready to go.
const DEFAULT_VIEW = 'train';

export function viewFromHash(hash: string): string {
  // '#/train?preset=…': the view comes before the settings (see ui/train/settings-hash.ts).
  const id = hash.replace(/^#\/?/, '').split('?')[0];
  return VIEWS.some((v) => v.id === id && v.ready) ? id : DEFAULT_VIEW;
}

export class NavState {
  current = $state(viewFromHash(location.hash));

  constructor() {
    window.addEventListener('hashchange', () => {
      this.current = viewFromHash(location.hash);
    });
  }

  go(id: string): void {
    const view = VIEWS.find((v) => v.id === id);
    if (!view?.ready) return;
    this.current = id;
    if (location.hash !== `#/${id}`) location.hash = `#/${id}`;
  }
}
