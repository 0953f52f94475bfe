import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// Tauri serves the built files from the binary; the dev server is only for
// `tauri dev`. The locales live at the repository root, shared with Rust.
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 1420, strictPort: true, fs: { allow: [".."] } },
  build: {
    target: "safari15",
    outDir: "dist",
    emptyOutDir: true,
    // Inline assets as data: URLs would need a looser CSP; keep them files.
    assetsInlineLimit: 0,
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts"],
  },
});
