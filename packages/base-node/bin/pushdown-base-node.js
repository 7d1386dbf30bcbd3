#!/usr/bin/env node
// Runs the compiled entry point; build first with `npx tsc -b`.
import '../dist/main.js';
