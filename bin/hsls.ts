#!/usr/bin/env node
import { hslsCommand } from "../src/cli/hsls.js";
import { runProgram } from "../src/cli/run.js";

await runProgram(hslsCommand());
