// Writing a report: it names where secrets sit, so a file is readable by its owner only, even when
// it existed before. Only a regular file is made private: `--output /dev/stdout` or a FIFO is the
// user's own stream, and changing a device's mode (as root, /dev/null) would break the system.
import { open } from "node:fs/promises";
export async function writePrivateFile(path, text) {
    const file = await open(path, "w", 0o600);
    try {
        if ((await file.stat()).isFile())
            await file.chmod(0o600);
        await file.writeFile(text);
    }
    finally {
        await file.close();
    }
}
//# sourceMappingURL=private-file.js.map