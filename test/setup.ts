// Runs in every test file, before it.
import nock from "nock";
import { afterAll } from "vitest";
import { removeTempDirs } from "./helpers/temp.js";

// No test reaches the network: nock refuses every connection it has no interceptor for. A file
// whose tests talk to a server they started on this machine allows it with
// nock.enableNetConnect("127.0.0.1"); each file starts refused again.
nock.disableNetConnect();

// What the helpers left in the temp folder goes when the file ends.
afterAll(removeTempDirs);
