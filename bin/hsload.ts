#!/usr/bin/env node
import { hsloadCommand } from "../src/cli/hsload.js";
import { runProgram } from "../src/cli/run.js";

await runProgram(hsloadCommand());
