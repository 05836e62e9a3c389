// Runs in every test file: what the helpers left in the temp folder goes when the file ends.
import { afterAll } from "vitest";
import { removeTempDirs } from "./helpers/temp.js";

afterAll(removeTempDirs);
