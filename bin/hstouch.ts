#!/usr/bin/env node
import { hstouchCommand } from "../src/cli/hstouch.js";
import { runProgram } from "../src/cli/run.js";

await runProgram(hstouchCommand());
