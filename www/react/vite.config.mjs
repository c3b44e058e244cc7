// Plain Vite; esbuild compiles the JSX (no plugin needed for a production build).
export default {
  base: '/react/',
  esbuild: { jsx: 'automatic' },
  build: { outDir: '../../dist/react', emptyOutDir: true },
};
