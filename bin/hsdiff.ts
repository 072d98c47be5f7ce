#!/usr/bin/env node
import { hsdiffCommand } from "../src/cli/hsdiff.js";
import { runProgram } from "../src/cli/run.js";

await runProgram(hsdiffCommand());
