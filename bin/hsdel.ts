#!/usr/bin/env node
import { hsrmCommand } from "../src/cli/hsrm.js";
import { runProgram } from "../src/cli/run.js";

await runProgram(hsrmCommand("hsdel"));
