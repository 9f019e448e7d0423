// Element observers the dashboard's charts share: whether the chart is near the viewport (so
// off-screen charts skip redraws) and its width (so uPlot follows the layout). Each returns
// its cleanup, ready to be returned from an $effect.

/** Calls `onChange(visible)` as the element enters or leaves the viewport (200 px margin). */
export function observeVisibility(el: Element, onChange: (visible: boolean) => void): () => void {
  const observer = new IntersectionObserver(([entry]) => onChange(entry.isIntersecting), {
    rootMargin: '200px',
  });
  observer.observe(el);
  return () => observer.disconnect();
}

/** Calls `onWidth(px)` with the element's content width, rounded down, as it changes. */
export function observeWidth(el: Element, onWidth: (width: number) => void): () => void {
  const observer = new ResizeObserver(([entry]) => onWidth(Math.floor(entry.contentRect.width)));
  observer.observe(el);
  return () => observer.disconnect();
}
