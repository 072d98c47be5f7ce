#!/usr/bin/env node
import { hsgetCommand } from "../src/cli/hsget.js";
import { runProgram } from "../src/cli/run.js";

await runProgram(hsgetCommand());
