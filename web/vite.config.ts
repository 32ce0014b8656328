/// <reference types="vitest/config" />
import { defineConfig, type Rollup } from "vite";

type PluginContext = Rollup.PluginContext;
import react from "@vitejs/plugin-react";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";

// The gateway the dev server forwards API calls (and the shop's own picture URLs) to.
const target = process.env.SHOP_API ?? "http://127.0.0.1:3000";
const forward = { target, changeOrigin: false };

/** Text files at least this big get a .br and a .gz beside them (the gateway serves them). */
const PRECOMPRESS_MIN_BYTES = 1024;
const PRECOMPRESS = /\.(js|mjs|css|html|svg|json|txt)$/;

let outDir = "dist";

/**
 * The modules the first screen runs: everything the entry imports, directly or not, without
 * following dynamic imports (the pages loaded on demand, the English catalog). Filled once the
 * module graph is complete (buildEnd), read when chunks are made.
 */
const firstScreen = new Set<string>();
const findFirstScreen = {
  name: "first-screen",
  apply: "build" as const,
  buildEnd(this: PluginContext) {
    firstScreen.clear();
    const stack = [...this.getModuleIds()].filter((id) => this.getModuleInfo(id)?.isEntry);
    for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
      if (firstScreen.has(id)) continue;
      firstScreen.add(id);
      stack.push(...(this.getModuleInfo(id)?.importedIds ?? []));
    }
  },
};
const inNodeModules = (id: string) => /[\\/]node_modules[\\/]/.test(id);

function precompress(dir: string): void {
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) precompress(file);
    else if (PRECOMPRESS.test(name) && statSync(file).size >= PRECOMPRESS_MIN_BYTES) {
      const body = readFileSync(file);
      const br = brotliCompressSync(body, {
        params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length },
      });
      const gz = gzipSync(body, { level: 9 });
      if (br.length < body.length) writeFileSync(file + ".br", br);
      if (gz.length < body.length) writeFileSync(file + ".gz", gz);
    }
  }
}

/**
 * The style sheet goes inside index.html (about 6.5 KB compressed): a phone on a slow network
 * paints the page one round trip sooner than with a render-blocking <link>. The CSP allows inline
 * styles (helmet's default style-src); scripts stay external.
 */
const inlineCss = {
  name: "inline-css",
  apply: "build" as const,
  transformIndexHtml: {
    order: "post" as const,
    handler(html: string, ctx: { bundle?: Record<string, { type: string; source?: unknown }> }) {
      return html.replace(
        /<link rel="stylesheet"[^>]*href="\/([^"]+\.css)"[^>]*>/g,
        (tag, file: string) => {
          const asset = ctx.bundle?.[file];
          if (!asset || asset.type !== "asset" || typeof asset.source !== "string") return tag;
          return `<style>${asset.source}</style>`;
        },
      );
    },
  },
};

export default defineConfig({
  plugins: [
    react(),
    findFirstScreen,
    inlineCss,
    {
      name: "precompress",
      apply: "build",
      configResolved(config) {
        outDir = resolve(config.root, config.build.outDir);
      },
      closeBundle() {
        precompress(outDir);
      },
    },
  ],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 400,
    rolldownOptions: {
      output: {
        // The first screen in three scripts (the entry, its libraries, the app code it shares
        // with other pages) rather than a dozen small chunks that a phone on HTTP/1.1 fetches six
        // at a time. What only the pages loaded on demand use stays in their own chunks.
        codeSplitting: {
          groups: [
            {
              name: "vendor",
              test: (id: string) => firstScreen.has(id) && inNodeModules(id),
              priority: 2,
            },
            {
              name: "shell",
              test: (id: string) => firstScreen.has(id) && !inNodeModules(id),
              priority: 1,
            },
          ],
        },
      },
    },
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
