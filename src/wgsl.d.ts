// WGSL sources are imported as plain strings (Vite's `?raw` suffix).
declare module '*.wgsl?raw' {
  const source: string;
  export default source;
}
