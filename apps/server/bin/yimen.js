#!/usr/bin/env node
// The yimen CLI. TypeScript runs through tsx's loader: no build step between a change and a run.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
