#!/usr/bin/env node
// The `pushdown` command: a thin shim over the compiled entry point (run `npx tsc -b` first).
import '../dist/main.js';
