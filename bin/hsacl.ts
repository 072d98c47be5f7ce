#!/usr/bin/env node
import { hsaclCommand } from "../src/cli/hsacl.js";
import { runProgram } from "../src/cli/run.js";

await runProgram(hsaclCommand());
