#!/usr/bin/env node
// kubectl plugin entry point: `kubectl kspect ...` runs exactly `kspect ...`.
import './kspect.js';
