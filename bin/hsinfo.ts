#!/usr/bin/env node
import { hsinfoCommand } from "../src/cli/hsinfo.js";
import { runProgram } from "../src/cli/run.js";

await runProgram(hsinfoCommand());
