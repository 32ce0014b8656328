/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The gateway the dev server forwards API calls (and the shop's own picture URLs) to.
const target = process.env.SHOP_API ?? "http://127.0.0.1:3000";
const forward = { target, changeOrigin: false };

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  server: {
    port: 5173,
    proxy: {
      "/api": forward,
      "/images": forward,
      "/uploads": forward,
      "/metrics": forward,
    },
  },
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test-setup.ts"],
    restoreMocks: true,
  },
});
