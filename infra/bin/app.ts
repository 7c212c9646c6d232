#!/usr/bin/env node
// The CDK CLI runs this file (infra/cdk.json): `npx tsx infra/bin/app.ts`.
import { createApp } from '../lib/app.js';

createApp().app.synth();
