#!/usr/bin/env node
import { hsserveCommand } from "../src/cli/hsserve.js";
import { runProgram } from "../src/cli/run.js";

await runProgram(hsserveCommand());
