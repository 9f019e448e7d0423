// Svelte options for the Vite plugin and svelte-check. Runes mode everywhere.
export default {
  compilerOptions: { runes: true },
};
