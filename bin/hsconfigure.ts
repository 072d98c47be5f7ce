#!/usr/bin/env node
import { hsconfigureCommand } from "../src/cli/hsconfigure.js";
import { runProgram } from "../src/cli/run.js";

await runProgram(hsconfigureCommand());
