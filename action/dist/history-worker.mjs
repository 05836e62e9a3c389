import { createRequire as __crispGuardCreateRequire } from "node:module";
const require = __crispGuardCreateRequire(import.meta.url);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __require = /* @__PURE__ */ ((x2) => typeof require !== "undefined" ? require : typeof Proxy !== "undefined" ? new Proxy(x2, {
  get: (a, b) => (typeof require !== "undefined" ? require : a)[b]
}) : x2)(function(x2) {
  if (typeof require !== "undefined") return require.apply(this, arguments);
  throw Error('Dynamic require of "' + x2 + '" is not supported');
});
var __commonJS = (cb, mod) => function __require2() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// node_modules/ms/index.js
var require_ms = __commonJS({
  "node_modules/ms/index.js"(exports, module) {
    var s = 1e3;
    var m = s * 60;
    var h2 = m * 60;
    var d = h2 * 24;
    var w = d * 7;
    var y = d * 365.25;
    module.exports = function(val, options) {
      options = options || {};
      var type = typeof val;
      if (type === "string" && val.length > 0) {
        return parse(val);
      } else if (type === "number" && isFinite(val)) {
        return options.long ? fmtLong(val) : fmtShort(val);
      }
      throw new Error(
        "val is not a non-empty string or a valid number. val=" + JSON.stringify(val)
      );
    };
    function parse(str) {
      str = String(str);
      if (str.length > 100) {
        return;
      }
      var match = /^(-?(?:\d+)?\.?\d+) *(milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y)?$/i.exec(
        str
      );
      if (!match) {
        return;
      }
      var n = parseFloat(match[1]);
      var type = (match[2] || "ms").toLowerCase();
      switch (type) {
        case "years":
        case "year":
        case "yrs":
        case "yr":
        case "y":
          return n * y;
        case "weeks":
        case "week":
        case "w":
          return n * w;
        case "days":
        case "day":
        case "d":
          return n * d;
        case "hours":
        case "hour":
        case "hrs":
        case "hr":
        case "h":
          return n * h2;
        case "minutes":
        case "minute":
        case "mins":
        case "min":
        case "m":
          return n * m;
        case "seconds":
        case "second":
        case "secs":
        case "sec":
        case "s":
          return n * s;
        case "milliseconds":
        case "millisecond":
        case "msecs":
        case "msec":
        case "ms":
          return n;
        default:
          return void 0;
      }
    }
    function fmtShort(ms) {
      var msAbs = Math.abs(ms);
      if (msAbs >= d) {
        return Math.round(ms / d) + "d";
      }
      if (msAbs >= h2) {
        return Math.round(ms / h2) + "h";
      }
      if (msAbs >= m) {
        return Math.round(ms / m) + "m";
      }
      if (msAbs >= s) {
        return Math.round(ms / s) + "s";
      }
      return ms + "ms";
    }
    function fmtLong(ms) {
      var msAbs = Math.abs(ms);
      if (msAbs >= d) {
        return plural(ms, msAbs, d, "day");
      }
      if (msAbs >= h2) {
        return plural(ms, msAbs, h2, "hour");
      }
      if (msAbs >= m) {
        return plural(ms, msAbs, m, "minute");
      }
      if (msAbs >= s) {
        return plural(ms, msAbs, s, "second");
      }
      return ms + " ms";
    }
    function plural(ms, msAbs, n, name) {
      var isPlural = msAbs >= n * 1.5;
      return Math.round(ms / n) + " " + name + (isPlural ? "s" : "");
    }
  }
});

// node_modules/debug/src/common.js
var require_common = __commonJS({
  "node_modules/debug/src/common.js"(exports, module) {
    function setup(env) {
      createDebug.debug = createDebug;
      createDebug.default = createDebug;
      createDebug.coerce = coerce;
      createDebug.disable = disable;
      createDebug.enable = enable;
      createDebug.enabled = enabled;
      createDebug.humanize = require_ms();
      createDebug.destroy = destroy;
      Object.keys(env).forEach((key) => {
        createDebug[key] = env[key];
      });
      createDebug.names = [];
      createDebug.skips = [];
      createDebug.formatters = {};
      function selectColor(namespace) {
        let hash = 0;
        for (let i2 = 0; i2 < namespace.length; i2++) {
          hash = (hash << 5) - hash + namespace.charCodeAt(i2);
          hash |= 0;
        }
        return createDebug.colors[Math.abs(hash) % createDebug.colors.length];
      }
      createDebug.selectColor = selectColor;
      function createDebug(namespace) {
        let prevTime;
        let enableOverride = null;
        let namespacesCache;
        let enabledCache;
        function debug2(...args) {
          if (!debug2.enabled) {
            return;
          }
          const self = debug2;
          const curr = Number(/* @__PURE__ */ new Date());
          const ms = curr - (prevTime || curr);
          self.diff = ms;
          self.prev = prevTime;
          self.curr = curr;
          prevTime = curr;
          args[0] = createDebug.coerce(args[0]);
          if (typeof args[0] !== "string") {
            args.unshift("%O");
          }
          let index = 0;
          args[0] = args[0].replace(/%([a-zA-Z%])/g, (match, format) => {
            if (match === "%%") {
              return "%";
            }
            index++;
            const formatter = createDebug.formatters[format];
            if (typeof formatter === "function") {
              const val = args[index];
              match = formatter.call(self, val);
              args.splice(index, 1);
              index--;
            }
            return match;
          });
          createDebug.formatArgs.call(self, args);
          const logFn = self.log || createDebug.log;
          logFn.apply(self, args);
        }
        debug2.namespace = namespace;
        debug2.useColors = createDebug.useColors();
        debug2.color = createDebug.selectColor(namespace);
        debug2.extend = extend;
        debug2.destroy = createDebug.destroy;
        Object.defineProperty(debug2, "enabled", {
          enumerable: true,
          configurable: false,
          get: () => {
            if (enableOverride !== null) {
              return enableOverride;
            }
            if (namespacesCache !== createDebug.namespaces) {
              namespacesCache = createDebug.namespaces;
              enabledCache = createDebug.enabled(namespace);
            }
            return enabledCache;
          },
          set: (v) => {
            enableOverride = v;
          }
        });
        if (typeof createDebug.init === "function") {
          createDebug.init(debug2);
        }
        return debug2;
      }
      function extend(namespace, delimiter) {
        const newDebug = createDebug(this.namespace + (typeof delimiter === "undefined" ? ":" : delimiter) + namespace);
        newDebug.log = this.log;
        return newDebug;
      }
      function enable(namespaces) {
        createDebug.save(namespaces);
        createDebug.namespaces = namespaces;
        createDebug.names = [];
        createDebug.skips = [];
        const split = (typeof namespaces === "string" ? namespaces : "").trim().replace(/\s+/g, ",").split(",").filter(Boolean);
        for (const ns of split) {
          if (ns[0] === "-") {
            createDebug.skips.push(ns.slice(1));
          } else {
            createDebug.names.push(ns);
          }
        }
      }
      function matchesTemplate(search, template) {
        let searchIndex = 0;
        let templateIndex = 0;
        let starIndex = -1;
        let matchIndex = 0;
        while (searchIndex < search.length) {
          if (templateIndex < template.length && (template[templateIndex] === search[searchIndex] || template[templateIndex] === "*")) {
            if (template[templateIndex] === "*") {
              starIndex = templateIndex;
              matchIndex = searchIndex;
              templateIndex++;
            } else {
              searchIndex++;
              templateIndex++;
            }
          } else if (starIndex !== -1) {
            templateIndex = starIndex + 1;
            matchIndex++;
            searchIndex = matchIndex;
          } else {
            return false;
          }
        }
        while (templateIndex < template.length && template[templateIndex] === "*") {
          templateIndex++;
        }
        return templateIndex === template.length;
      }
      function disable() {
        const namespaces = [
          ...createDebug.names,
          ...createDebug.skips.map((namespace) => "-" + namespace)
        ].join(",");
        createDebug.enable("");
        return namespaces;
      }
      function enabled(name) {
        for (const skip of createDebug.skips) {
          if (matchesTemplate(name, skip)) {
            return false;
          }
        }
        for (const ns of createDebug.names) {
          if (matchesTemplate(name, ns)) {
            return true;
          }
        }
        return false;
      }
      function coerce(val) {
        if (val instanceof Error) {
          return val.stack || val.message;
        }
        return val;
      }
      function destroy() {
        console.warn("Instance method `debug.destroy()` is deprecated and no longer does anything. It will be removed in the next major version of `debug`.");
      }
      createDebug.enable(createDebug.load());
      return createDebug;
    }
    module.exports = setup;
  }
});

// node_modules/debug/src/browser.js
var require_browser = __commonJS({
  "node_modules/debug/src/browser.js"(exports, module) {
    exports.formatArgs = formatArgs;
    exports.save = save;
    exports.load = load;
    exports.useColors = useColors;
    exports.storage = localstorage();
    exports.destroy = /* @__PURE__ */ (() => {
      let warned = false;
      return () => {
        if (!warned) {
          warned = true;
          console.warn("Instance method `debug.destroy()` is deprecated and no longer does anything. It will be removed in the next major version of `debug`.");
        }
      };
    })();
    exports.colors = [
      "#0000CC",
      "#0000FF",
      "#0033CC",
      "#0033FF",
      "#0066CC",
      "#0066FF",
      "#0099CC",
      "#0099FF",
      "#00CC00",
      "#00CC33",
      "#00CC66",
      "#00CC99",
      "#00CCCC",
      "#00CCFF",
      "#3300CC",
      "#3300FF",
      "#3333CC",
      "#3333FF",
      "#3366CC",
      "#3366FF",
      "#3399CC",
      "#3399FF",
      "#33CC00",
      "#33CC33",
      "#33CC66",
      "#33CC99",
      "#33CCCC",
      "#33CCFF",
      "#6600CC",
      "#6600FF",
      "#6633CC",
      "#6633FF",
      "#66CC00",
      "#66CC33",
      "#9900CC",
      "#9900FF",
      "#9933CC",
      "#9933FF",
      "#99CC00",
      "#99CC33",
      "#CC0000",
      "#CC0033",
      "#CC0066",
      "#CC0099",
      "#CC00CC",
      "#CC00FF",
      "#CC3300",
      "#CC3333",
      "#CC3366",
      "#CC3399",
      "#CC33CC",
      "#CC33FF",
      "#CC6600",
      "#CC6633",
      "#CC9900",
      "#CC9933",
      "#CCCC00",
      "#CCCC33",
      "#FF0000",
      "#FF0033",
      "#FF0066",
      "#FF0099",
      "#FF00CC",
      "#FF00FF",
      "#FF3300",
      "#FF3333",
      "#FF3366",
      "#FF3399",
      "#FF33CC",
      "#FF33FF",
      "#FF6600",
      "#FF6633",
      "#FF9900",
      "#FF9933",
      "#FFCC00",
      "#FFCC33"
    ];
    function useColors() {
      if (typeof window !== "undefined" && window.process && (window.process.type === "renderer" || window.process.__nwjs)) {
        return true;
      }
      if (typeof navigator !== "undefined" && navigator.userAgent && navigator.userAgent.toLowerCase().match(/(edge|trident)\/(\d+)/)) {
        return false;
      }
      let m;
      return typeof document !== "undefined" && document.documentElement && document.documentElement.style && document.documentElement.style.WebkitAppearance || // Is firebug? http://stackoverflow.com/a/398120/376773
      typeof window !== "undefined" && window.console && (window.console.firebug || window.console.exception && window.console.table) || // Is firefox >= v31?
      // https://developer.mozilla.org/en-US/docs/Tools/Web_Console#Styling_messages
      typeof navigator !== "undefined" && navigator.userAgent && (m = navigator.userAgent.toLowerCase().match(/firefox\/(\d+)/)) && parseInt(m[1], 10) >= 31 || // Double check webkit in userAgent just in case we are in a worker
      typeof navigator !== "undefined" && navigator.userAgent && navigator.userAgent.toLowerCase().match(/applewebkit\/(\d+)/);
    }
    function formatArgs(args) {
      args[0] = (this.useColors ? "%c" : "") + this.namespace + (this.useColors ? " %c" : " ") + args[0] + (this.useColors ? "%c " : " ") + "+" + module.exports.humanize(this.diff);
      if (!this.useColors) {
        return;
      }
      const c3 = "color: " + this.color;
      args.splice(1, 0, c3, "color: inherit");
      let index = 0;
      let lastC = 0;
      args[0].replace(/%[a-zA-Z%]/g, (match) => {
        if (match === "%%") {
          return;
        }
        index++;
        if (match === "%c") {
          lastC = index;
        }
      });
      args.splice(lastC, 0, c3);
    }
    exports.log = console.debug || console.log || (() => {
    });
    function save(namespaces) {
      try {
        if (namespaces) {
          exports.storage.setItem("debug", namespaces);
        } else {
          exports.storage.removeItem("debug");
        }
      } catch (error) {
      }
    }
    function load() {
      let r2;
      try {
        r2 = exports.storage.getItem("debug") || exports.storage.getItem("DEBUG");
      } catch (error) {
      }
      if (!r2 && typeof process !== "undefined" && "env" in process) {
        r2 = process.env.DEBUG;
      }
      return r2;
    }
    function localstorage() {
      try {
        return localStorage;
      } catch (error) {
      }
    }
    module.exports = require_common()(exports);
    var { formatters } = module.exports;
    formatters.j = function(v) {
      try {
        return JSON.stringify(v);
      } catch (error) {
        return "[UnexpectedJSONParseError]: " + error.message;
      }
    };
  }
});

// node_modules/has-flag/index.js
var require_has_flag = __commonJS({
  "node_modules/has-flag/index.js"(exports, module) {
    "use strict";
    module.exports = (flag, argv = process.argv) => {
      const prefix = flag.startsWith("-") ? "" : flag.length === 1 ? "-" : "--";
      const position = argv.indexOf(prefix + flag);
      const terminatorPosition = argv.indexOf("--");
      return position !== -1 && (terminatorPosition === -1 || position < terminatorPosition);
    };
  }
});

// node_modules/supports-color/index.js
var require_supports_color = __commonJS({
  "node_modules/supports-color/index.js"(exports, module) {
    "use strict";
    var os = __require("os");
    var tty = __require("tty");
    var hasFlag = require_has_flag();
    var { env } = process;
    var forceColor;
    if (hasFlag("no-color") || hasFlag("no-colors") || hasFlag("color=false") || hasFlag("color=never")) {
      forceColor = 0;
    } else if (hasFlag("color") || hasFlag("colors") || hasFlag("color=true") || hasFlag("color=always")) {
      forceColor = 1;
    }
    if ("FORCE_COLOR" in env) {
      if (env.FORCE_COLOR === "true") {
        forceColor = 1;
      } else if (env.FORCE_COLOR === "false") {
        forceColor = 0;
      } else {
        forceColor = env.FORCE_COLOR.length === 0 ? 1 : Math.min(parseInt(env.FORCE_COLOR, 10), 3);
      }
    }
    function translateLevel(level) {
      if (level === 0) {
        return false;
      }
      return {
        level,
        hasBasic: true,
        has256: level >= 2,
        has16m: level >= 3
      };
    }
    function supportsColor(haveStream, streamIsTTY) {
      if (forceColor === 0) {
        return 0;
      }
      if (hasFlag("color=16m") || hasFlag("color=full") || hasFlag("color=truecolor")) {
        return 3;
      }
      if (hasFlag("color=256")) {
        return 2;
      }
      if (haveStream && !streamIsTTY && forceColor === void 0) {
        return 0;
      }
      const min = forceColor || 0;
      if (env.TERM === "dumb") {
        return min;
      }
      if (process.platform === "win32") {
        const osRelease = os.release().split(".");
        if (Number(osRelease[0]) >= 10 && Number(osRelease[2]) >= 10586) {
          return Number(osRelease[2]) >= 14931 ? 3 : 2;
        }
        return 1;
      }
      if ("CI" in env) {
        if (["TRAVIS", "CIRCLECI", "APPVEYOR", "GITLAB_CI", "GITHUB_ACTIONS", "BUILDKITE"].some((sign) => sign in env) || env.CI_NAME === "codeship") {
          return 1;
        }
        return min;
      }
      if ("TEAMCITY_VERSION" in env) {
        return /^(9\.(0*[1-9]\d*)\.|\d{2,}\.)/.test(env.TEAMCITY_VERSION) ? 1 : 0;
      }
      if (env.COLORTERM === "truecolor") {
        return 3;
      }
      if ("TERM_PROGRAM" in env) {
        const version = parseInt((env.TERM_PROGRAM_VERSION || "").split(".")[0], 10);
        switch (env.TERM_PROGRAM) {
          case "iTerm.app":
            return version >= 3 ? 3 : 2;
          case "Apple_Terminal":
            return 2;
        }
      }
      if (/-256(color)?$/i.test(env.TERM)) {
        return 2;
      }
      if (/^screen|^xterm|^vt100|^vt220|^rxvt|color|ansi|cygwin|linux/i.test(env.TERM)) {
        return 1;
      }
      if ("COLORTERM" in env) {
        return 1;
      }
      return min;
    }
    function getSupportLevel(stream) {
      const level = supportsColor(stream, stream && stream.isTTY);
      return translateLevel(level);
    }
    module.exports = {
      supportsColor: getSupportLevel,
      stdout: translateLevel(supportsColor(true, tty.isatty(1))),
      stderr: translateLevel(supportsColor(true, tty.isatty(2)))
    };
  }
});

// node_modules/debug/src/node.js
var require_node = __commonJS({
  "node_modules/debug/src/node.js"(exports, module) {
    var tty = __require("tty");
    var util = __require("util");
    exports.init = init;
    exports.log = log;
    exports.formatArgs = formatArgs;
    exports.save = save;
    exports.load = load;
    exports.useColors = useColors;
    exports.destroy = util.deprecate(
      () => {
      },
      "Instance method `debug.destroy()` is deprecated and no longer does anything. It will be removed in the next major version of `debug`."
    );
    exports.colors = [6, 2, 3, 4, 5, 1];
    try {
      const supportsColor = require_supports_color();
      if (supportsColor && (supportsColor.stderr || supportsColor).level >= 2) {
        exports.colors = [
          20,
          21,
          26,
          27,
          32,
          33,
          38,
          39,
          40,
          41,
          42,
          43,
          44,
          45,
          56,
          57,
          62,
          63,
          68,
          69,
          74,
          75,
          76,
          77,
          78,
          79,
          80,
          81,
          92,
          93,
          98,
          99,
          112,
          113,
          128,
          129,
          134,
          135,
          148,
          149,
          160,
          161,
          162,
          163,
          164,
          165,
          166,
          167,
          168,
          169,
          170,
          171,
          172,
          173,
          178,
          179,
          184,
          185,
          196,
          197,
          198,
          199,
          200,
          201,
          202,
          203,
          204,
          205,
          206,
          207,
          208,
          209,
          214,
          215,
          220,
          221
        ];
      }
    } catch (error) {
    }
    exports.inspectOpts = Object.keys(process.env).filter((key) => {
      return /^debug_/i.test(key);
    }).reduce((obj, key) => {
      const prop = key.substring(6).toLowerCase().replace(/_([a-z])/g, (_, k) => {
        return k.toUpperCase();
      });
      let val = process.env[key];
      if (/^(yes|on|true|enabled)$/i.test(val)) {
        val = true;
      } else if (/^(no|off|false|disabled)$/i.test(val)) {
        val = false;
      } else if (val === "null") {
        val = null;
      } else {
        val = Number(val);
      }
      obj[prop] = val;
      return obj;
    }, {});
    function useColors() {
      return "colors" in exports.inspectOpts ? Boolean(exports.inspectOpts.colors) : tty.isatty(process.stderr.fd);
    }
    function formatArgs(args) {
      const { namespace: name, useColors: useColors2 } = this;
      if (useColors2) {
        const c3 = this.color;
        const colorCode = "\x1B[3" + (c3 < 8 ? c3 : "8;5;" + c3);
        const prefix = `  ${colorCode};1m${name} \x1B[0m`;
        args[0] = prefix + args[0].split("\n").join("\n" + prefix);
        args.push(colorCode + "m+" + module.exports.humanize(this.diff) + "\x1B[0m");
      } else {
        args[0] = getDate() + name + " " + args[0];
      }
    }
    function getDate() {
      if (exports.inspectOpts.hideDate) {
        return "";
      }
      return (/* @__PURE__ */ new Date()).toISOString() + " ";
    }
    function log(...args) {
      return process.stderr.write(util.formatWithOptions(exports.inspectOpts, ...args) + "\n");
    }
    function save(namespaces) {
      if (namespaces) {
        process.env.DEBUG = namespaces;
      } else {
        delete process.env.DEBUG;
      }
    }
    function load() {
      return process.env.DEBUG;
    }
    function init(debug2) {
      debug2.inspectOpts = {};
      const keys = Object.keys(exports.inspectOpts);
      for (let i2 = 0; i2 < keys.length; i2++) {
        debug2.inspectOpts[keys[i2]] = exports.inspectOpts[keys[i2]];
      }
    }
    module.exports = require_common()(exports);
    var { formatters } = module.exports;
    formatters.o = function(v) {
      this.inspectOpts.colors = this.useColors;
      return util.inspect(v, this.inspectOpts).split("\n").map((str) => str.trim()).join(" ");
    };
    formatters.O = function(v) {
      this.inspectOpts.colors = this.useColors;
      return util.inspect(v, this.inspectOpts);
    };
  }
});

// node_modules/debug/src/index.js
var require_src = __commonJS({
  "node_modules/debug/src/index.js"(exports, module) {
    if (typeof process === "undefined" || process.type === "renderer" || process.browser === true || process.__nwjs) {
      module.exports = require_browser();
    } else {
      module.exports = require_node();
    }
  }
});

// node_modules/@kwsites/file-exists/dist/src/index.js
var require_src2 = __commonJS({
  "node_modules/@kwsites/file-exists/dist/src/index.js"(exports) {
    "use strict";
    var __importDefault = exports && exports.__importDefault || function(mod) {
      return mod && mod.__esModule ? mod : { "default": mod };
    };
    Object.defineProperty(exports, "__esModule", { value: true });
    var fs_1 = __require("fs");
    var debug_1 = __importDefault(require_src());
    var log = debug_1.default("@kwsites/file-exists");
    function check(path, isFile, isDirectory) {
      log(`checking %s`, path);
      try {
        const stat2 = fs_1.statSync(path);
        if (stat2.isFile() && isFile) {
          log(`[OK] path represents a file`);
          return true;
        }
        if (stat2.isDirectory() && isDirectory) {
          log(`[OK] path represents a directory`);
          return true;
        }
        log(`[FAIL] path represents something other than a file or directory`);
        return false;
      } catch (e) {
        if (e.code === "ENOENT") {
          log(`[FAIL] path is not accessible: %o`, e);
          return false;
        }
        log(`[FATAL] %o`, e);
        throw e;
      }
    }
    function exists2(path, type = exports.READABLE) {
      return check(path, (type & exports.FILE) > 0, (type & exports.FOLDER) > 0);
    }
    exports.exists = exists2;
    exports.FILE = 1;
    exports.FOLDER = 2;
    exports.READABLE = exports.FILE + exports.FOLDER;
  }
});

// node_modules/@kwsites/file-exists/dist/index.js
var require_dist = __commonJS({
  "node_modules/@kwsites/file-exists/dist/index.js"(exports) {
    "use strict";
    function __export2(m) {
      for (var p in m) if (!exports.hasOwnProperty(p)) exports[p] = m[p];
    }
    Object.defineProperty(exports, "__esModule", { value: true });
    __export2(require_src2());
  }
});

// node_modules/@kwsites/promise-deferred/dist/index.js
var require_dist2 = __commonJS({
  "node_modules/@kwsites/promise-deferred/dist/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.createDeferred = exports.deferred = void 0;
    function deferred2() {
      let done;
      let fail;
      let status = "pending";
      const promise = new Promise((_done, _fail) => {
        done = _done;
        fail = _fail;
      });
      return {
        promise,
        done(result) {
          if (status === "pending") {
            status = "resolved";
            done(result);
          }
        },
        fail(error) {
          if (status === "pending") {
            status = "rejected";
            fail(error);
          }
        },
        get fulfilled() {
          return status !== "pending";
        },
        get status() {
          return status;
        }
      };
    }
    exports.deferred = deferred2;
    exports.createDeferred = deferred2;
    exports.default = deferred2;
  }
});

// src/sources/git/history-worker.ts
import { parentPort, workerData } from "node:worker_threads";

// src/detect/context.ts
var CRISP_RE = /[Cc][Rr][Ii][Ss][Pp]/;
var CLIENT_CALL_RE = /[Aa]uthenticate_?[Tt]ier/;
var NOT_CRISP_RE = /[Cc][Rr][Ii][Ss][Pp](?:-?[Ee][Dd][Gg][Ee][Ss]|[Yy]|[Ee][Rr]|[Nn][Ee][Ss][Ss])/g;
function namesCrisp(s) {
  return CRISP_RE.test(s) && CRISP_RE.test(s.replace(NOT_CRISP_RE, ""));
}
function pathNamesCrisp(path) {
  return namesCrisp(path);
}
function hasCrispContext(text, path) {
  if (namesCrisp(path) || namesCrisp(text)) return true;
  return (text.includes("Tier") || text.includes("_tier")) && CLIENT_CALL_RE.test(text);
}
var HALF_SHAPE_RE = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{64}|(?:[L-RYZ][A-Za-z0-9+/]{3}){12}/;
function mayContainHalf(text, path) {
  return hasCrispContext(text, path) && HALF_SHAPE_RE.test(text);
}

// src/detect/fingerprint.ts
import { createHash } from "node:crypto";
function fingerprint(identifier, key) {
  return createHash("sha256").update(`${identifier.toLowerCase()}:${key.toLowerCase()}`).digest("hex");
}
function redactIdentifier(identifier) {
  return `${identifier.slice(0, 8).toLowerCase()}\u2026`;
}
function keyHint(key) {
  return `\u2026${key.slice(-4).toLowerCase()}`;
}
var inspectCustom = /* @__PURE__ */ Symbol.for("nodejs.util.inspect.custom");
var Keypair = class {
  #identifier;
  #key;
  fingerprint;
  redactedIdentifier;
  keyHint;
  constructor(identifier, key) {
    this.#identifier = identifier.toLowerCase();
    this.#key = key.toLowerCase();
    this.fingerprint = fingerprint(identifier, key);
    this.redactedIdentifier = redactIdentifier(identifier);
    this.keyHint = keyHint(key);
  }
  /** The raw halves: only for the Crisp verification request and a rotator configured to receive them. */
  reveal() {
    return { identifier: this.#identifier, key: this.#key };
  }
  get redacted() {
    return `${this.redactedIdentifier}:${this.keyHint}`;
  }
  toString() {
    return this.redacted;
  }
  toJSON() {
    return { identifier: this.redactedIdentifier, keyHint: this.keyHint, fingerprint: this.fingerprint };
  }
  [inspectCustom]() {
    return `Keypair(${this.redacted})`;
  }
};
var HalfValue = class {
  #value;
  kind;
  redacted;
  constructor(kind, value) {
    this.kind = kind;
    this.#value = value.toLowerCase();
    this.redacted = kind === "identifier" ? redactIdentifier(value) : keyHint(value);
  }
  /** The raw half: only to build the Keypair once its partner is found. */
  reveal() {
    return this.#value;
  }
  toString() {
    return this.redacted;
  }
  toJSON() {
    return { kind: this.kind, redacted: this.redacted };
  }
  [inspectCustom]() {
    return `HalfValue(${this.kind} ${this.redacted})`;
  }
};

// src/detect/grammar.ts
var KEY_LENGTH = 64;
var UUID_SOURCE = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
var KEY_SOURCE = "[0-9a-fA-F]{64}";
var UUID_RE = new RegExp(UUID_SOURCE, "g");
var UUID_ONLY = new RegExp(`^${UUID_SOURCE}$`);
var KEY_ONLY = new RegExp(`^${KEY_SOURCE}$`);
var BOUNDED_UUID_SOURCE = `(?<![0-9a-fA-F])${UUID_SOURCE}(?![0-9a-fA-F])`;
var BOUNDED_KEY_SOURCE = `(?<![0-9a-fA-F])${KEY_SOURCE}(?![0-9a-fA-F])`;
var HEX_RUN_RE = /[0-9a-fA-F]{32,}/g;
var DIGEST_LIKE_LENGTH = 40;
var LABEL_LOOKBACK = 100;
function isAlnum(c3) {
  return c3 >= 48 && c3 <= 57 || c3 >= 65 && c3 <= 90 || c3 >= 97 && c3 <= 122;
}
function boundaryBefore(text, start) {
  if (start === 0) return true;
  const c3 = text.charCodeAt(start - 1);
  if (!isAlnum(c3)) return true;
  return (c3 === 110 || c3 === 114 || c3 === 116) && start >= 2 && text.charCodeAt(start - 2) === 92;
}
function boundaryAfter(text, end) {
  return end >= text.length || !isAlnum(text.charCodeAt(end));
}
var LABEL_RE = /(?<![\w$.-])([A-Za-z_$][\w$.-]*)(?:\\?["'`]|\])*\s*(?::\s*[A-Za-z_][\w.<>?]*\s*(?==))?(?:=>|:=|\?=|=|:|\|)\s*(?:\\?["'`])?\s*$/;
var NAME_OF_VALUE_RE = /name["']?\s*:\s*["']?([A-Za-z_][\w.-]*)|variable\s+"([A-Za-z_][\w-]*)"/g;
var ENV_DEFAULT_RE = /(?:["'`]([A-Za-z_][\w.-]*)["'`]\s*,\s*(?:default\s*=\s*)?|\benv\.([A-Za-z_]\w*)\s*(?:\?\?|\|\|)\s*)["'`]$/;
var RSPEC_LET_RE = /\blet!?\(\s*:([A-Za-z_]\w*)\s*\)\s*\{\s*["']$/;
var TABLE_CELL_LABEL_RE = /\|\s*([A-Za-z][\w.-]*(?:[ \t]+[A-Za-z0-9][\w.-]*){1,3})\s*\|\s*`?$/;
var TIER_ARGUMENT_RE = /^(?:plugin|website)$/i;
function nameOfValueIn(text) {
  let name = null;
  for (const m of text.matchAll(NAME_OF_VALUE_RE)) name = m[1] ?? m[2] ?? name;
  return name;
}
var VALUE_LABELS = /* @__PURE__ */ new Set(["value", "val", "default"]);
var HEXISH_LABEL_RE = /^[0-9a-fA-F-]+$|[0-9a-fA-F]{8}-/;
var BROWSER_GLOBAL_RE = /(?:window|self|globalThis|document)\s*\[\s*["'`]?$/;
var BROWSER_GLOBAL_WORDS = /* @__PURE__ */ new Set(["window", "self", "globalthis", "document"]);
var ROLE_WORDS = /* @__PURE__ */ new Set([
  "crisp",
  "identifier",
  "ident",
  "id",
  "key",
  "keys",
  "token",
  "tokens",
  "secret",
  "api",
  "rest",
  "access",
  "client",
  "user",
  "username",
  "login",
  "password",
  "pass",
  "pwd",
  "value",
  "val",
  "auth",
  "credential",
  "credentials",
  "creds",
  "plugin",
  "website",
  "tier",
  "default",
  "env",
  "string"
]);
function splitWords(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2").toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 0);
}
function makeLabel(name, browserGlobal = false) {
  const words = splitWords(name);
  const global = browserGlobal || words.length > 0 && BROWSER_GLOBAL_WORDS.has(words[0]);
  const group = [...new Set(words.filter((w) => !ROLE_WORDS.has(w) && !BROWSER_GLOBAL_WORDS.has(w)))].sort().join(" ");
  return { name, words, group, browserGlobal: global };
}
function labelBefore(text, start, lineStart, nameAbove = () => null) {
  const from = Math.max(lineStart, start - LABEL_LOOKBACK);
  const prefix = text.slice(from, start);
  const env = ENV_DEFAULT_RE.exec(prefix);
  if (env && !TIER_ARGUMENT_RE.test(env[1] ?? "")) return makeLabel(env[1] ?? env[2]);
  const let_ = RSPEC_LET_RE.exec(prefix);
  if (let_) return makeLabel(let_[1]);
  const cell = TABLE_CELL_LABEL_RE.exec(prefix);
  if (cell) return makeLabel(cell[1]);
  const m = LABEL_RE.exec(prefix);
  if (!m) return null;
  let name = m[1];
  if (m.index > 0 && prefix.charCodeAt(m.index - 1) === 92 && /^[nrt][A-Z_]/.test(name)) name = name.slice(1);
  if (HEXISH_LABEL_RE.test(name)) return null;
  if (VALUE_LABELS.has(name.toLowerCase())) {
    name = nameOfValueIn(prefix.slice(0, m.index)) ?? nameAbove() ?? name;
  }
  const browserGlobal = BROWSER_GLOBAL_RE.test(prefix.slice(0, m.index));
  return makeLabel(name, browserGlobal);
}
var has = (words, ...any) => any.some((w) => words.includes(w));
var CREDENTIAL_WORDS = ["identifier", "ident", "token", "key", "secret", "credential", "credentials", "login", "username"];
var QUALIFIER_WORDS = /* @__PURE__ */ new Set([
  "staging",
  "stage",
  "stg",
  "prod",
  "production",
  "prd",
  "dev",
  "develop",
  "development",
  "test",
  "testing",
  "tests",
  "local",
  "qa",
  "uat",
  "preprod",
  "preview",
  "sandbox",
  "live",
  "demo",
  "old",
  "new",
  "backup",
  "primary",
  "secondary",
  "main",
  "alt",
  "legacy",
  "current",
  "previous",
  "next",
  "public",
  "vite",
  "react",
  "nuxt",
  "expo",
  "gatsby",
  "vue",
  "app",
  "my",
  "bot",
  "service",
  "server",
  "default",
  "global",
  "shared"
]);
var isQualifier = (w) => QUALIFIER_WORDS.has(w) || /^\d+$/.test(w);
function coreWords(label) {
  return label.words.filter((w) => w !== "crisp" && !isQualifier(w));
}
function isWebsiteIdLabel(label) {
  const w = label.words;
  if (has(w, "websiteid", "websiteids")) return true;
  const core = coreWords(label);
  if (core.length === 1 && core[0] === "website") return true;
  return has(w, "website") && has(w, "id", "ids", "uuid") && !has(w, ...CREDENTIAL_WORDS);
}
var OTHER_ID_OWNERS = [
  "plugin",
  "session",
  "conversation",
  "visitor",
  "people",
  "person",
  "operator",
  "request",
  "trace",
  "correlation",
  "message",
  "event",
  "device",
  "order",
  "tenant",
  "workspace",
  "organization",
  "org",
  "transaction",
  "install",
  "installation",
  "build",
  "job",
  "run",
  "channel",
  "inbox",
  "campaign"
];
function isOtherIdLabel(label) {
  const w = label.words;
  return has(w, ...OTHER_ID_OWNERS) && has(w, "id", "ids", "uuid", "guid") && !has(w, ...CREDENTIAL_WORDS);
}
function isCrispPluginIdLabel(label) {
  const w = label.words;
  return has(w, "crisp") && has(w, "plugin") && has(w, "id", "uuid") && !has(w, ...CREDENTIAL_WORDS) && !OTHER_ID_OWNERS.some((o2) => o2 !== "plugin" && w.includes(o2));
}
function isBareIdLabel(label) {
  return has(label.words, "id", "uuid") && !has(label.words, ...CREDENTIAL_WORDS);
}
var VENDOR_CREDENTIAL_WORDS = /* @__PURE__ */ new Set([
  "identifier",
  "id",
  "key",
  "keys",
  "token",
  "secret",
  "api",
  "access",
  "client",
  "user",
  "username",
  "login",
  "password",
  "pass",
  "auth",
  "credential",
  "credentials",
  "account",
  "sid"
]);
function isOtherVendorLabel(label) {
  const w = label.words;
  if (w.includes("crisp")) return false;
  let i2 = 0;
  while (i2 < w.length && isQualifier(w[i2])) i2++;
  const vendor = w[i2];
  if (vendor === void 0 || ROLE_WORDS.has(vendor) || !/^[a-z]/.test(vendor)) return false;
  const rest = w.slice(i2 + 1);
  return rest.length > 0 && rest.some((x2) => VENDOR_CREDENTIAL_WORDS.has(x2)) && rest.every((x2) => VENDOR_CREDENTIAL_WORDS.has(x2) || isQualifier(x2));
}
var NOT_A_KEY_WORDS = /* @__PURE__ */ new Set([
  "sha",
  "sha1",
  "sha224",
  "sha256",
  "sha384",
  "sha512",
  "sha3",
  "md5",
  "blake2",
  "blake2b",
  "blake3",
  "hash",
  "hashes",
  "hashed",
  "digest",
  "digests",
  "checksum",
  "checksums",
  "sum",
  "integrity",
  "nonce",
  "signature",
  "signing",
  "sign",
  "signed",
  "webhook",
  "webhooks",
  "hook",
  "hooks",
  "hmac",
  "salt",
  "commit",
  "oid",
  "etag",
  "fingerprint",
  "blob",
  "tree",
  "iv",
  "session",
  "csrf",
  "cookie",
  "jwt",
  "encryption",
  "encrypt",
  "cipher",
  "aes",
  "private",
  "wallet",
  "verify",
  "verification",
  "seed"
]);
var NOT_A_KEY_INFIX_RE = /hash|digest|checksum|md5|nonce|signature|hmac|webhook|integrity|fingerprint|sha(?:1|224|256|384|512)/;
function isNotAKeyLabel(label) {
  return label.words.some((w) => NOT_A_KEY_WORDS.has(w)) || NOT_A_KEY_INFIX_RE.test(label.words.join(""));
}
var DIGEST_PREFIX_RE = /(?:sha-?(?:1|224|256|384|512)|sha3|md5|blake[23]b?|digest|hash|checksum|hmac|nonce|signature|etag)["'`]?[\s:=@-]{0,3}["'`]?$/i;
function digestPrefixed(text, start, lineStart) {
  return DIGEST_PREFIX_RE.test(text.slice(Math.max(lineStart, start - 24), start));
}
function labelTier(label) {
  if (!label) return null;
  if (label.words.includes("plugin")) return "plugin";
  if (label.words.includes("website")) return "website";
  return null;
}
var IDENTIFIER_ROLE_WORDS = ["identifier", "ident", "id", "uuid", "login", "username", "user"];
var KEY_ROLE_WORDS = ["key", "secret", "token", "password", "pass", "pwd"];
function namesCredentialHalf(label, kind) {
  const core = coreWords(label);
  if (core.length === 0 || !core.every((w) => ROLE_WORDS.has(w))) return false;
  return has(core, ...kind === "identifier" ? IDENTIFIER_ROLE_WORDS : KEY_ROLE_WORDS);
}

// src/detect/nearest.ts
function textDistance(a, b) {
  return Math.abs(a.line - b.line) * 1e9 + Math.abs(a.start - b.start);
}
function nearestIndex(sorted2, at) {
  let lo = 0;
  let hi = sorted2.length;
  while (lo < hi) {
    const mid = lo + hi >> 1;
    if (sorted2[mid].start < at.start) lo = mid + 1;
    else hi = mid;
  }
  if (sorted2.length === 0) return -1;
  if (lo === 0) return 0;
  if (lo === sorted2.length) return lo - 1;
  return textDistance(sorted2[lo - 1], at) <= textDistance(sorted2[lo], at) ? lo - 1 : lo;
}
function byStart(a, b) {
  return a.start - b.start;
}

// src/detect/pairing.ts
var MAX_PAIR_LINES = 200;
var MAX_PAIR_CHARS_ON_LINE = 4096;
var MAX_ADJACENT_GAP = 24;
var ADJACENT_GAP_RE = /^[\s"'`\\]*[:,][\s"'`\\]*$/;
function order(a, b) {
  return a.start - b.start || a.view - b.view || a.viewStart - b.viewStart;
}
function distance(a, b) {
  const lines = Math.abs(a.line - b.line);
  const chars = Math.abs(a.start - b.start) + (a.view === b.view ? Math.abs(a.viewStart - b.viewStart) : 0);
  if (lines > MAX_PAIR_LINES) return Infinity;
  if (lines === 0 && chars > MAX_PAIR_CHARS_ON_LINE) return Infinity;
  return lines * 1e9 + chars;
}
function adjacentPairs(tokens, views) {
  const pairs = [];
  const sorted2 = [...tokens].sort((a, b) => a.view - b.view || a.viewStart - b.viewStart);
  for (let i2 = 0; i2 + 1 < sorted2.length; i2++) {
    const a = sorted2[i2];
    const b = sorted2[i2 + 1];
    if (a.kind !== "identifier" || b.kind !== "key" || a.view !== b.view) continue;
    if (b.viewStart - a.viewEnd > MAX_ADJACENT_GAP) continue;
    if (!ADJACENT_GAP_RE.test(views[a.view].slice(a.viewEnd, b.viewStart))) continue;
    pairs.push({ identifier: a, key: b });
    i2++;
  }
  return pairs;
}
var Heap = class {
  #items = [];
  get size() {
    return this.#items.length;
  }
  push(item) {
    const a = this.#items;
    a.push(item);
    for (let i2 = a.length - 1; i2 > 0; ) {
      const p = i2 - 1 >> 1;
      if (a[p][0] <= a[i2][0]) break;
      [a[p], a[i2]] = [a[i2], a[p]];
      i2 = p;
    }
  }
  pop() {
    const a = this.#items;
    const top = a[0];
    const last2 = a.pop();
    if (a.length > 0 && last2) {
      a[0] = last2;
      for (let i2 = 0; ; ) {
        const l = 2 * i2 + 1;
        const r2 = l + 1;
        let m = i2;
        if (l < a.length && a[l][0] < a[m][0]) m = l;
        if (r2 < a.length && a[r2][0] < a[m][0]) m = r2;
        if (m === i2) break;
        [a[m], a[i2]] = [a[i2], a[m]];
        i2 = m;
      }
    }
    return top;
  }
};
function recordPairs(t2) {
  if (t2.length < 4 || t2.length % 2 !== 0 || t2[0].kind === t2[1].kind) return null;
  const pairs = [];
  for (let i2 = 0; i2 < t2.length; i2 += 2) {
    const a = t2[i2];
    const b = t2[i2 + 1];
    if (a.kind !== t2[0].kind || b.kind !== t2[1].kind || distance(a, b) === Infinity) return null;
    const next = t2[i2 + 2];
    if (next && Math.abs(b.line - a.line) > Math.abs(next.line - b.line)) return null;
    pairs.push(a.kind === "identifier" ? { identifier: a, key: b } : { identifier: b, key: a });
  }
  return pairs;
}
function pairNonCrossing(tokens) {
  const t2 = [...tokens].sort(order);
  const records = recordPairs(t2);
  if (records) return records;
  const n = t2.length;
  const prev = t2.map((_, i2) => i2 - 1);
  const next = t2.map((_, i2) => i2 + 1 < n ? i2 + 1 : -1);
  const alive = t2.map(() => true);
  const heap = new Heap();
  const offer = (i2, j) => {
    if (i2 < 0 || j < 0 || t2[i2].kind === t2[j].kind) return;
    const d = distance(t2[i2], t2[j]);
    if (d !== Infinity) heap.push([d, i2, j]);
  };
  for (let i2 = 0; i2 + 1 < n; i2++) offer(i2, i2 + 1);
  const pairs = [];
  while (heap.size > 0) {
    const [, i2, j] = heap.pop();
    if (!alive[i2] || !alive[j]) continue;
    alive[i2] = alive[j] = false;
    const a = t2[i2];
    const b = t2[j];
    pairs.push(a.kind === "identifier" ? { identifier: a, key: b } : { identifier: b, key: a });
    const p = prev[i2];
    const q2 = next[j];
    if (p >= 0) next[p] = q2;
    if (q2 >= 0) prev[q2] = p;
    offer(p, q2);
  }
  return pairs;
}
function pairHalves(halves, views) {
  const pairs = adjacentPairs(halves, views);
  const used = new Set(pairs.flatMap((p) => [p.identifier, p.key]));
  const take = (found) => {
    for (const p of found) {
      pairs.push(p);
      used.add(p.identifier);
      used.add(p.key);
    }
  };
  const free = () => halves.filter((h2) => !used.has(h2) && !h2.listed);
  const byGroup = /* @__PURE__ */ new Map();
  for (const h2 of free()) {
    if (!h2.label) continue;
    const bucket = byGroup.get(h2.label.group) ?? [];
    bucket.push(h2);
    byGroup.set(h2.label.group, bucket);
  }
  for (const bucket of byGroup.values()) take(pairNonCrossing(bucket));
  take(pairNonCrossing(free()));
  const identifiersByGroup = /* @__PURE__ */ new Map();
  for (const h2 of halves) {
    if (h2.kind !== "identifier" || !h2.label) continue;
    const list = identifiersByGroup.get(h2.label.group) ?? [];
    list.push(h2);
    identifiersByGroup.set(h2.label.group, list);
  }
  for (const list of identifiersByGroup.values()) list.sort((a, b) => a.start - b.start);
  const keyNamesOf = /* @__PURE__ */ new Map();
  for (const p of pairs) {
    if (!p.key.label) continue;
    const names = keyNamesOf.get(p.identifier) ?? /* @__PURE__ */ new Set();
    names.add(p.key.label.name.toLowerCase());
    keyNamesOf.set(p.identifier, names);
  }
  for (const key of free()) {
    if (key.kind !== "key" || !key.label) continue;
    const group = identifiersByGroup.get(key.label.group) ?? [];
    const best = group[nearestIndex(group, key)];
    if (!best || distance(best, key) === Infinity) continue;
    if (keyNamesOf.has(best) && !keyNamesOf.get(best).has(key.label.name.toLowerCase())) continue;
    take([{ identifier: best, key }]);
  }
  return pairs.sort((a, b) => order(a.key, b.key));
}

// src/detect/suppress.ts
var DOCUMENTED_EXAMPLE_PREFIXES = ["7c3ef21c-1e04", "13937834-f6ce", "43f34724-9eeb"];
var INLINE_ALLOW_MARKER = "crisp-guard:allow";
var MIN_KEY_ENTROPY = 3;
var MIN_IDENTIFIER_ENTROPY = 2.5;
var MAX_SEQUENTIAL_RUN = 8;
var MAX_PATTERN_PERIOD = 16;
function isDocumentedExample(identifier) {
  const id = identifier.toLowerCase();
  return DOCUMENTED_EXAMPLE_PREFIXES.some((p) => id.startsWith(p));
}
function shannonEntropy(hex) {
  const counts = /* @__PURE__ */ new Map();
  for (const c3 of hex) counts.set(c3, (counts.get(c3) ?? 0) + 1);
  let h2 = 0;
  for (const n of counts.values()) {
    const p = n / hex.length;
    h2 -= p * Math.log2(p);
  }
  return h2;
}
function hasSequentialRun(hex) {
  let up = 1;
  let down = 1;
  for (let i2 = 1; i2 < hex.length; i2++) {
    const prev = parseInt(hex[i2 - 1], 16);
    const cur = parseInt(hex[i2], 16);
    up = cur === (prev + 1) % 16 || prev === 9 && cur === 0 ? up + 1 : 1;
    down = cur === (prev + 15) % 16 ? down + 1 : 1;
    if (up >= MAX_SEQUENTIAL_RUN || down >= MAX_SEQUENTIAL_RUN) return true;
  }
  return false;
}
function isPeriodic(hex) {
  for (let p = 1; p <= MAX_PATTERN_PERIOD && p < hex.length; p++) {
    let periodic = true;
    for (let i2 = p; i2 < hex.length && periodic; i2++) periodic = hex[i2] === hex[i2 - p];
    if (periodic) return true;
  }
  return false;
}
function isPlaceholderValue(hexDigits, minEntropy) {
  return isPeriodic(hexDigits) || hasSequentialRun(hexDigits) || shannonEntropy(hexDigits) < minEntropy;
}
function isPlaceholder(identifier, key) {
  return isPlaceholderValue(identifier.toLowerCase().replace(/-/g, ""), MIN_IDENTIFIER_ENTROPY) || isPlaceholderValue(key.toLowerCase(), MIN_KEY_ENTROPY);
}
function isPlaceholderHalf(kind, value) {
  return kind === "identifier" ? isPlaceholderValue(value.toLowerCase().replace(/-/g, ""), MIN_IDENTIFIER_ENTROPY) : isPlaceholderValue(value.toLowerCase(), MIN_KEY_ENTROPY);
}
function allowMarkerOffsets(text) {
  const out = [];
  for (let i2 = text.indexOf(INLINE_ALLOW_MARKER); i2 !== -1; i2 = text.indexOf(INLINE_ALLOW_MARKER, i2 + 1)) out.push(i2);
  return out;
}
function suppressionFor(identifier, key, onAllowedLine) {
  if (isDocumentedExample(identifier)) return "documented-example";
  if (isPlaceholder(identifier, key)) return "placeholder";
  if (onAllowedLine) return "inline-allow";
  return null;
}

// src/detect/lone.ts
var SECTION_RE = /^([ \t]*)(?:\[([\w.-]+)\]|["']?([\w.-]+)["']?[ \t]*(?::|=>|=)[ \t]*[[{(]?)[ \t]*$/gm;
var INLINE_SECTION_RE = /(?<![A-Za-z])crisp["']?\s*(?::|=>|=)\s*[[{(]/i;
var CRISP_WORD_RE = /(?<![A-Za-z])crisp(?![A-Za-z])/i;
var PLUGIN_WORD_RE = /(?<![A-Za-z])plugins?(?![A-Za-z])/i;
var INLINE_SECTION_LOOKBACK = 200;
function crispSections(text, lines) {
  const out = [];
  let top = null;
  SECTION_RE.lastIndex = 0;
  for (let m = SECTION_RE.exec(text); m; m = SECTION_RE.exec(text)) {
    if (m[0].length === 0) {
      SECTION_RE.lastIndex++;
      continue;
    }
    const table = m[2] !== void 0;
    const indent = table ? -1 : m[1].length;
    const name = m[2] ?? m[3];
    while (top !== null && top.indent >= indent) top = top.up;
    const outer = top !== null ? top.crispIndent : Infinity;
    const crispIndent = outer !== Infinity ? outer : CRISP_WORD_RE.test(name) ? indent : Infinity;
    top = { indent, crispIndent, plugin: PLUGIN_WORD_RE.test(name), up: top };
    out.push({ start: m.index, line: lines.lineOf(m.index), crispIndent, open: top });
  }
  return out;
}
function loneHalves(unpaired, ctx) {
  const labelled = unpaired.filter((h2) => h2.label && !h2.label.browserGlobal && !h2.listed);
  if (labelled.length === 0) return [];
  let sections = null;
  const indents = /* @__PURE__ */ new Map();
  const indentOf = (line, lineStart, limit) => {
    let indent = indents.get(line);
    if (indent === void 0) {
      indent = 0;
      while (lineStart + indent < limit && (ctx.text[lineStart + indent] === " " || ctx.text[lineStart + indent] === "	")) indent++;
      indents.set(line, indent);
    }
    return indent;
  };
  const inCrispSection = (h2) => {
    if (h2.view !== 0 || h2.encoding === "base64") return false;
    const lineStart = ctx.lines.lineStart(h2.line);
    if (INLINE_SECTION_RE.test(ctx.text.slice(Math.max(lineStart, h2.start - INLINE_SECTION_LOOKBACK), h2.start))) return true;
    sections ??= crispSections(ctx.text, ctx.lines);
    const i2 = lastBefore(sections, lineStart);
    if (i2 < 0) return false;
    return sections[i2].crispIndent < indentOf(h2.line, lineStart, h2.start);
  };
  const inPluginSection = (h2) => {
    if (h2.view !== 0 || h2.encoding === "base64") return false;
    sections ??= crispSections(ctx.text, ctx.lines);
    const lineStart = ctx.lines.lineStart(h2.line);
    const i2 = lastBefore(sections, lineStart);
    if (i2 < 0) return false;
    const indent = indentOf(h2.line, lineStart, h2.start);
    let open = sections[i2].open;
    while (open !== null && open.indent >= indent) open = open.up;
    return open !== null && open.plugin;
  };
  let placed = null;
  const hintTier = (h2) => {
    placed ??= {
      explicit: ctx.hints().filter((x2) => x2.explicit).map(placeHint(ctx.lines)).sort(byStart),
      routes: ctx.hints().filter((x2) => !x2.explicit).map(placeHint(ctx.lines)).sort(byStart)
    };
    return nearestHintTier(placed.explicit, h2) ?? nearestHintTier(placed.routes, h2);
  };
  const out = [];
  for (const h2 of labelled) {
    const label = h2.label;
    if (!namesCredentialHalf(label, h2.kind)) continue;
    if (!label.words.includes("crisp") && !ctx.pathNamesCrisp && !inCrispSection(h2)) continue;
    if (h2.kind === "identifier" && isDocumentedExample(h2.value)) continue;
    if (isPlaceholderHalf(h2.kind, h2.value)) continue;
    if (ctx.allowedLines.has(h2.line)) continue;
    const tier = labelTier(label) ?? hintTier(h2);
    const site = ctx.websiteIds[nearestIndex(ctx.websiteIds, h2)];
    out.push({
      kind: h2.kind,
      half: new HalfValue(h2.kind, h2.value),
      occurrence: { path: ctx.path, line: h2.line, column: h2.column, encoding: h2.encoding },
      label: label.name,
      family: `${label.group}|${labelTier(label) ?? ""}`,
      tier,
      websiteId: site && Math.abs(site.line - h2.line) <= MAX_PAIR_LINES ? site.id : null,
      pluginId: h2.pluginId === true || h2.kind === "identifier" && isBareIdLabel(label) && inPluginSection(h2)
    });
  }
  return out;
}
function placeHint(lines) {
  return (h2) => ({ start: h2.offset, line: lines.lineOf(h2.offset), tier: h2.tier });
}
function nearestHintTier(sorted2, at) {
  const best = sorted2[nearestIndex(sorted2, at)];
  return best && Math.abs(best.line - at.line) <= MAX_PAIR_LINES ? best.tier : null;
}
function lastBefore(sorted2, offset) {
  let lo = 0;
  let hi = sorted2.length;
  while (lo < hi) {
    const mid = lo + hi >> 1;
    if (sorted2[mid].start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

// src/detect/lines.ts
var LineIndex = class {
  /** Offset of each line's first character; starts[0] is line 1. */
  #starts = [0];
  #length;
  constructor(text) {
    this.#length = text.length;
    for (let i2 = text.indexOf("\n"); i2 !== -1; i2 = text.indexOf("\n", i2 + 1)) this.#starts.push(i2 + 1);
  }
  /** 1-based line holding `offset`. */
  lineOf(offset) {
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = lo + hi + 1 >> 1;
      if (this.#starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
  /** Offset of the first character of 1-based `line`. */
  lineStart(line) {
    return this.#starts[Math.max(0, Math.min(line, this.#starts.length) - 1)] ?? 0;
  }
  /** Offset just past the last character of 1-based `line` (its '\n' or the end of text). */
  lineEnd(line) {
    const next = this.#starts[line];
    return next === void 0 ? this.#length : next - 1;
  }
  position(offset) {
    const line = this.lineOf(offset);
    return { line, column: offset - this.lineStart(line) + 1 };
  }
};

// src/detect/tier.ts
var EXPLICIT_TIER_RE = /(?:authenticate_?tier|set_?tier)\s*\(\s*:?["'`]?(plugin|website)\b|x-crisp-tier["'`]?\s*(?:=>|[:=,])\s*["'`]?(plugin|website)\b/gi;
var TIER_SETTING_AFTER_RE = /["'`\]]?\s*(?::\s*[A-Za-z_][\w.[\]]*\s*(?==))?(?:=>|:=|[:=])\s*:?["'`]?(plugin|website|PLUGIN|WEBSITE|Plugin|Website)\b/y;
var TIER_DEFAULT_AFTER_RE = /["'`]\s*,\s*(?:default\s*=\s*)?["'`](plugin|website|PLUGIN|WEBSITE|Plugin|Website)\b/y;
var TIER_WORD_RE = /tier/gi;
function tierWordAt(text, i2) {
  const word2 = text.slice(i2, i2 + 4);
  if (word2 !== "tier" && word2 !== "Tier" && word2 !== "TIER") return false;
  const c3 = text.charCodeAt(i2 - 1);
  const letter = c3 >= 65 && c3 <= 90 || c3 >= 97 && c3 <= 122;
  return !letter || word2 === "Tier" && c3 >= 97 && c3 <= 122;
}
function tierSettings(text, hints) {
  TIER_WORD_RE.lastIndex = 0;
  for (let m = TIER_WORD_RE.exec(text); m; m = TIER_WORD_RE.exec(text)) {
    if (!tierWordAt(text, m.index)) continue;
    for (const re of [TIER_SETTING_AFTER_RE, TIER_DEFAULT_AFTER_RE]) {
      re.lastIndex = m.index + 4;
      const after = re.exec(text);
      if (after) {
        hints.push({ tier: after[1].toLowerCase(), offset: m.index, explicit: true });
        break;
      }
    }
  }
}
var ROUTE_TIER_RE = /\/v1\/(plugin|website)\//gi;
function tierHints(text) {
  const hints = [];
  tierSettings(text, hints);
  for (const [re, explicit] of [[EXPLICIT_TIER_RE, true], [ROUTE_TIER_RE, false]]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const tier = (m[1] ?? m[2]).toLowerCase();
      hints.push({ tier, offset: m.index, explicit });
    }
  }
  return hints;
}
function nearestTier(hints, offset, line, lineOf) {
  for (const explicit of [true, false]) {
    let best = null;
    let bestDistance = Infinity;
    for (const h2 of hints) {
      if (h2.explicit !== explicit) continue;
      const d = Math.abs(lineOf(h2.offset) - line) * 1e9 + Math.abs(h2.offset - offset);
      if (d < bestDistance) {
        best = h2;
        bestDistance = d;
      }
    }
    if (best) return best.tier;
  }
  return null;
}

// src/detect/decoders.ts
var BASE64_HEXTEXT_RE = /(?:[L-RYZ][A-Za-z0-9+/]{3}){12}/g;
var MAX_BASE64_RUN = 64 * 1024;
function isBase64Char(c3) {
  return c3 >= 65 && c3 <= 90 || c3 >= 97 && c3 <= 122 || c3 >= 48 && c3 <= 57 || c3 === 43 || c3 === 47;
}
function base64Segments(text) {
  const out = [];
  BASE64_HEXTEXT_RE.lastIndex = 0;
  for (let m = BASE64_HEXTEXT_RE.exec(text); m; m = BASE64_HEXTEXT_RE.exec(text)) {
    let start = m.index;
    let end = start + m[0].length;
    while (start > 0 && isBase64Char(text.charCodeAt(start - 1))) start--;
    start += (m.index - start) % 4;
    while (end < text.length && isBase64Char(text.charCodeAt(end))) end++;
    while (end < text.length && text.charCodeAt(end) === 61 && end - start < MAX_BASE64_RUN) end++;
    BASE64_HEXTEXT_RE.lastIndex = end;
    if (end - start > MAX_BASE64_RUN) continue;
    const decoded = decodeBase64(text.slice(start, end));
    if (decoded !== null) out.push({ start, end, text: decoded });
  }
  return out;
}
function decodeBase64(run) {
  const body = run.replace(/=+$/, "");
  if (body.length % 4 === 1) return null;
  try {
    return atob(body + "==".slice(0, (4 - body.length % 4) % 4));
  } catch {
    return null;
  }
}
var USERINFO_BEFORE_RE = /:\/\/[0-9a-fA-F-]{36}:$/;
function encodingAt(text, start, end) {
  if (text.charCodeAt(end) === 64 && USERINFO_BEFORE_RE.test(text.slice(Math.max(0, start - 40), start))) {
    return "url";
  }
  const before = text.slice(Math.max(0, start - 2), start);
  const after = text.slice(end, end + 2);
  if (/^\\["'`]$/.test(before) || /\\[nrt]$/.test(before) || /^\\["'`nrt\\]/.test(after)) return "escaped";
  return "plain";
}

// src/detect/tokens.ts
var WEBSITE_ROUTE_BEFORE_RE = /\/website\/$/i;
var WEBSITE_CALL_BEFORE_RE = /websites?(?:\.|->)\w+\(\s*["'`]$/i;
function findTokens(text, lines) {
  const halves = [];
  const websiteIds = [];
  const views = [text];
  const textNamesAbove = namesAbove(text, lines);
  const scan2 = (view) => {
    const t2 = view.text;
    const local = view.anchor === null ? lines : new LineIndex(t2);
    const nameAbove = view.anchor === null ? textNamesAbove : namesAbove(t2, local);
    const lineStartIn = (offset) => local.lineStart(local.lineOf(offset));
    const place = (offset, end) => {
      const start = view.anchor ?? offset;
      const pos = lines.position(start);
      const encoding = view.anchor === null ? encodingAt(t2, offset, end) : "base64";
      return { start, line: pos.line, column: pos.column, encoding };
    };
    const labelAt = (offset) => {
      const line = local.lineOf(offset);
      return labelBefore(t2, offset, local.lineStart(line), () => nameAbove(line)) ?? view.anchorLabel;
    };
    UUID_RE.lastIndex = 0;
    for (let m = UUID_RE.exec(t2); m; m = UUID_RE.exec(t2)) {
      const s = m.index;
      const e = s + m[0].length;
      if (!boundaryBefore(t2, s) || !boundaryAfter(t2, e)) continue;
      const value = m[0].toLowerCase();
      const before = t2.slice(Math.max(0, s - 40), s);
      const label = labelAt(s);
      const p = place(s, e);
      if (WEBSITE_ROUTE_BEFORE_RE.test(before) || WEBSITE_CALL_BEFORE_RE.test(before) || label && isWebsiteIdLabel(label)) {
        websiteIds.push({ id: value, start: p.start, line: p.line });
        continue;
      }
      if (before.endsWith("/") && !before.endsWith("://")) continue;
      if (label && (label.browserGlobal || isOtherVendorLabel(label))) continue;
      const pluginId = label !== null && isCrispPluginIdLabel(label);
      if (label && !pluginId && isOtherIdLabel(label)) continue;
      halves.push({ kind: "identifier", value, view: view.index, viewStart: s, viewEnd: e, ...p, label, listed: false, pluginId });
    }
    HEX_RUN_RE.lastIndex = 0;
    const runs = [];
    for (let m = HEX_RUN_RE.exec(t2); m; m = HEX_RUN_RE.exec(t2)) runs.push({ s: m.index, e: m.index + m[0].length });
    runs.forEach((run, i2) => {
      if (run.e - run.s !== KEY_LENGTH) return;
      if (!boundaryBefore(t2, run.s) || !boundaryAfter(t2, run.e)) return;
      const ls = lineStartIn(run.s);
      if (digestPrefixed(t2, run.s, ls)) return;
      const charBefore = t2.charCodeAt(run.s - 1);
      if (charBefore === 47 || charBefore === 35) return;
      const label = labelAt(run.s);
      if (label && (isNotAKeyLabel(label) || isOtherVendorLabel(label))) return;
      const token = {
        kind: "key",
        value: t2.slice(run.s, run.e).toLowerCase(),
        view: view.index,
        viewStart: run.s,
        viewEnd: run.e,
        ...place(run.s, run.e),
        label,
        // An unlabelled 64-hex next to other long hex runs is one of a list (digests, object ids).
        listed: !label && inHexList(t2, runs, i2, lineStartIn)
      };
      halves.push(token);
    });
  };
  scan2({ index: 0, text, anchor: null, anchorLabel: null });
  for (const seg of base64Segments(text)) {
    const line = lines.lineOf(seg.start);
    const anchorLabel = labelBefore(text, seg.start, lines.lineStart(line), () => textNamesAbove(line));
    if (anchorLabel && (isNotAKeyLabel(anchorLabel) || isOtherVendorLabel(anchorLabel))) continue;
    views.push(seg.text);
    scan2({ index: views.length - 1, text: seg.text, anchor: seg.start, anchorLabel });
  }
  return { halves, websiteIds, views };
}
function namesAbove(text, lines) {
  const memo = /* @__PURE__ */ new Map();
  return (line) => {
    if (line <= 1) return null;
    let name = memo.get(line);
    if (name === void 0) {
      name = nameOfValueIn(text.slice(lines.lineStart(Math.max(1, line - 2)), lines.lineStart(line)));
      memo.set(line, name);
    }
    return name;
  };
}
var HEX_LIST_SPAN = 256;
function inHexList(t2, runs, i2, lineStartIn) {
  const self = runs[i2];
  const selfLine = lineStartIn(self.s);
  for (const j of [i2 - 1, i2 + 1]) {
    const other = runs[j];
    if (!other || other.e - other.s < DIGEST_LIKE_LENGTH) continue;
    const otherLine = lineStartIn(other.s);
    if (otherLine === selfLine) {
      if (Math.abs(other.s - self.s) <= HEX_LIST_SPAN) return true;
      continue;
    }
    const [a, b] = other.s < self.s ? [other, self] : [self, other];
    const gap = t2.slice(a.e, b.s);
    if (gap.length <= HEX_LIST_SPAN && gap.indexOf("\n") === gap.lastIndexOf("\n")) return true;
  }
  return false;
}

// src/detect/types.ts
var UNVERIFIED = Object.freeze({
  status: "unverified",
  tier: null,
  reason: "verification not requested",
  checkedAt: null
});

// src/detect/cross-file.ts
function compatible(id, key) {
  if (id.pluginId && !key.family.endsWith("|plugin")) return false;
  const files = new Set(id.lone.map((l) => l.occurrence.path));
  return key.lone.some((l) => !files.has(l.occurrence.path));
}
function distinctHalves(lone) {
  const byValue = /* @__PURE__ */ new Map();
  for (const l of lone) {
    const value = l.half.reveal();
    const id = `${l.kind}\0${l.family}\0${value}`;
    let h2 = byValue.get(id);
    if (!h2) byValue.set(id, h2 = { kind: l.kind, value, family: l.family, pluginId: false, lone: [] });
    h2.pluginId ||= l.pluginId;
    h2.lone.push(l);
  }
  return [...byValue.values()];
}
function pairAcrossFiles(lone) {
  const halves = distinctHalves(lone);
  const pairs = [];
  const families = /* @__PURE__ */ new Map();
  for (const h2 of halves) {
    const list = families.get(h2.family) ?? [];
    list.push(h2);
    families.set(h2.family, list);
  }
  for (const list of families.values()) {
    const ids = list.filter((h2) => h2.kind === "identifier");
    const keys = list.filter((h2) => h2.kind === "key");
    if (ids.length === 1 && keys.length === 1 && compatible(ids[0], keys[0])) pairs.push([ids[0], keys[0]]);
  }
  if (pairs.length === 0) {
    const ids = halves.filter((h2) => h2.kind === "identifier");
    const keys = halves.filter((h2) => h2.kind === "key");
    if (ids.length === 1 && keys.length === 1) {
      const [id, key] = [ids[0], keys[0]];
      const plain = (f) => f === "|";
      const [idGroup, idTier] = id.family.split("|");
      const [keyGroup, keyTier] = key.family.split("|");
      const agree = (a, b) => a === b || a === "" || b === "";
      if ((plain(id.family) || plain(key.family) || agree(idGroup, keyGroup) && agree(idTier, keyTier)) && compatible(id, key)) {
        pairs.push([id, key]);
      }
    }
  }
  const out = [];
  for (const [id, key] of pairs) {
    const keypair = new Keypair(id.value, key.value);
    const first2 = (h2, pick2) => h2.lone.map(pick2).find((v) => v !== null) ?? null;
    const tier = first2(key, (l) => l.tier) ?? first2(id, (l) => l.tier);
    const websiteId = first2(key, (l) => l.websiteId) ?? first2(id, (l) => l.websiteId);
    const suppressed = suppressionFor(id.value, key.value, false);
    for (const l of [...id.lone, ...key.lone]) {
      out.push({ keypair, fingerprint: keypair.fingerprint, tier, websiteId, occurrence: { ...l.occurrence }, suppressed });
    }
  }
  return out;
}

// src/detect/index.ts
function mayContainHalf2(text, path) {
  return mayContainHalf(text, path);
}
function detect(text, options) {
  if (!hasCrispContext(text, options.path)) return { candidates: [], websiteIds: [], lone: [] };
  const lines = new LineIndex(text);
  const { halves, websiteIds, views } = findTokens(text, lines);
  const websiteIdList = [...new Set(websiteIds.map((w) => w.id))];
  if (halves.length === 0) return { candidates: [], websiteIds: websiteIdList, lone: [] };
  const pairs = pairPluginAware(halves, views);
  const lineOf = (o2) => lines.lineOf(o2);
  const paired = new Set(pairs.flatMap((p) => [p.identifier, p.key]));
  const pluginIdsHalves = pluginIdsUsable(halves) || !halves.some((h2) => h2.kind === "identifier" && !h2.pluginId && labelTier(h2.label) === "plugin");
  const unpaired = halves.filter((h2) => !paired.has(h2) && h2.label !== null && (!h2.pluginId || pluginIdsHalves));
  let hints = null;
  const allHints = () => hints ??= tierHints(text);
  const hintsOf = hintsByPair(pairs.length > 0 ? allHints() : [], pairs, lineOf);
  const allowedLines = new Set(allowMarkerOffsets(text).map((o2) => lines.lineOf(o2)));
  const sightings = [...websiteIds].sort(byStart);
  const lone = loneHalves(unpaired, {
    text,
    path: options.path,
    lines,
    pathNamesCrisp: pathNamesCrisp(options.path),
    hints: allHints,
    websiteIds: sightings,
    allowedLines
  });
  const candidates = pairs.map((pair, i2) => {
    const keypair = new Keypair(pair.identifier.value, pair.key.value);
    const { key, identifier } = pair;
    return {
      keypair,
      fingerprint: keypair.fingerprint,
      tier: labelTier(key.label) ?? labelTier(identifier.label) ?? nearestTier(hintsOf[i2], key.start, key.line, lineOf),
      websiteId: nearestWebsiteId(sightings, pair),
      occurrence: { path: options.path, line: key.line, column: key.column, encoding: key.encoding },
      suppressed: suppressionFor(
        identifier.value,
        key.value,
        allowedLines.has(key.line) || allowedLines.has(identifier.line)
      )
    };
  });
  return { candidates, websiteIds: websiteIdList, lone };
}
function pairPluginAware(halves, views) {
  const isPluginKey = (h2) => h2.kind === "key" && labelTier(h2.label) === "plugin";
  const usable = pluginIdsUsable(halves) ? halves : halves.filter((h2) => !h2.pluginId);
  return pairHalves(usable, views).filter((p) => !p.identifier.pluginId || isPluginKey(p.key));
}
function pluginIdsUsable(halves) {
  const pluginTier = (h2) => labelTier(h2.label) === "plugin";
  return halves.some((h2) => h2.kind === "key" && pluginTier(h2)) && !halves.some((h2) => h2.kind === "identifier" && !h2.pluginId && pluginTier(h2));
}
function hintsByPair(hints, pairs, lineOf) {
  const owned = pairs.map(() => []);
  const halves = pairs.flatMap((pair, i2) => [pair.key, pair.identifier].map((h2) => ({ start: h2.start, line: h2.line, pair: i2 }))).sort(byStart);
  for (const hint of hints) {
    const at = { start: hint.offset, line: lineOf(hint.offset) };
    const nearest = halves[nearestIndex(halves, at)];
    if (nearest && Math.abs(nearest.line - at.line) <= MAX_PAIR_LINES) owned[nearest.pair].push(hint);
  }
  return owned;
}
function nearestWebsiteId(sorted2, pair) {
  let best = null;
  let bestDistance = Infinity;
  for (const half of [pair.key, pair.identifier]) {
    const w = sorted2[nearestIndex(sorted2, half)];
    if (w && textDistance(w, half) < bestDistance) {
      best = w.id;
      bestDistance = textDistance(w, half);
    }
  }
  return best;
}

// src/sources/content.ts
var DEFAULT_MAX_FILE_SIZE = 25 * 1024 * 1024;
var BINARY_SNIFF_BYTES = 8e3;
function isBinary(buf) {
  const end = Math.min(buf.length, BINARY_SNIFF_BYTES);
  return buf.subarray(0, end).indexOf(0) !== -1;
}
var DASH = 45;
var UUID_LENGTH = 36;
var FIRST_DASH = 8;
function isHex(c3) {
  return c3 >= 48 && c3 <= 57 || (c3 | 32) >= 97 && (c3 | 32) <= 102;
}
function hasUuidShape(buf) {
  const last2 = buf.length - (UUID_LENGTH - FIRST_DASH);
  let at = buf.indexOf(DASH, FIRST_DASH);
  while (at !== -1 && at <= last2) {
    if (buf[at + 5] === DASH && buf[at + 10] === DASH && buf[at + 15] === DASH && isUuidAt(buf, at - FIRST_DASH)) return true;
    at = buf.indexOf(DASH, at + 1);
  }
  return false;
}
function isUuidAt(buf, start) {
  for (let k = 0; k < UUID_LENGTH; k++) {
    if (k === 8 || k === 13 || k === 18 || k === 23) continue;
    if (!isHex(buf[start + k])) return false;
  }
  return true;
}

// src/sources/git/crisp-bytes.ts
var SIMD = 253;
var OP = { v128Load: 0, v128Const: 12, i8x16Eq: 35, v128And: 78, v128Or: 80, v128AnyTrue: 83 };
var CASE_BIT = 32;
var TAIL_PADDING = 64;
var UUID_DASHES = [8, 13, 18, 23];
var DASH2 = 45;
var WASM_PAGE = 65536;
var WORDS = ["crisp", "etier", "_tier"];
function splat(byte) {
  return new Array(16).fill(byte);
}
function lane(offset, letter) {
  return [32, 1, SIMD, OP.v128Load, 0, offset, SIMD, OP.v128Const, ...splat(CASE_BIT), SIMD, OP.v128Or, SIMD, OP.v128Const, ...splat(letter), SIMD, OP.i8x16Eq];
}
function exactLane(offset, byte) {
  return [32, 2, SIMD, OP.v128Load, 0, offset, SIMD, OP.v128Const, ...splat(byte), SIMD, OP.i8x16Eq];
}
function word(text) {
  const out = [];
  for (let k = 0; k < text.length; k++) {
    out.push(...lane(k, text.charCodeAt(k) | CASE_BIT));
    if (k > 0) out.push(SIMD, OP.v128And);
  }
  return out;
}
function uleb(n) {
  const out = [];
  do {
    let b = n & 127;
    n >>>= 7;
    if (n) b |= 128;
    out.push(b);
  } while (n);
  return out;
}
function moduleBytes() {
  const dashes = UUID_DASHES.flatMap((offset, k) => [...exactLane(offset, DASH2), ...k > 0 ? [SIMD, OP.v128And] : []]);
  const dashBody = [
    1,
    1,
    127,
    // one local: $i i32 (local 2)
    32,
    0,
    33,
    2,
    // $i = $from
    2,
    64,
    3,
    64,
    32,
    2,
    32,
    1,
    79,
    13,
    1,
    // if $i >= $len: break
    ...dashes,
    SIMD,
    OP.v128AnyTrue,
    4,
    64,
    32,
    2,
    15,
    11,
    // any lane: return $i
    32,
    2,
    65,
    16,
    106,
    33,
    2,
    12,
    0,
    11,
    11,
    65,
    127,
    11
    // return -1
  ];
  const body = [
    1,
    1,
    127,
    // one local: $i i32
    2,
    64,
    3,
    64,
    // block, loop
    32,
    1,
    32,
    0,
    79,
    13,
    1,
    // if $i >= $len: break
    ...word(WORDS[0]),
    ...word(WORDS[1]),
    SIMD,
    OP.v128Or,
    ...word(WORDS[2]),
    SIMD,
    OP.v128Or,
    SIMD,
    OP.v128AnyTrue,
    4,
    64,
    65,
    1,
    15,
    11,
    // any lane: return 1
    32,
    1,
    65,
    16,
    106,
    33,
    1,
    12,
    0,
    // $i += 16; continue
    11,
    11,
    65,
    0,
    11
    // end loop, end block; return 0
  ];
  const code = [2, ...uleb(body.length), ...body, ...uleb(dashBody.length), ...dashBody];
  const name = (text) => [text.length, ...Buffer.from(text, "latin1")];
  const exports = [3, ...name("mem"), 2, 0, ...name("find"), 0, 0, ...name("dashes"), 0, 1];
  return new Uint8Array([
    0,
    97,
    115,
    109,
    1,
    0,
    0,
    0,
    1,
    12,
    2,
    96,
    1,
    127,
    1,
    127,
    96,
    2,
    127,
    127,
    1,
    127,
    // types: (i32) -> i32, (i32 i32) -> i32
    3,
    3,
    2,
    0,
    1,
    // two functions
    5,
    3,
    1,
    0,
    1,
    // one memory, 1 page to start
    7,
    ...uleb(exports.length),
    ...exports,
    10,
    ...uleb(code.length),
    ...code
  ]);
}
var wasm = globalThis.WebAssembly;
var FALLBACK_RE = /[Cc][Rr][Ii][Ss][Pp]|[Ee][Tt][Ii][Ee][Rr]|[_\x7f][Tt][Ii][Ee][Rr]/;
var UUID_RE2 = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
var ByteClass = Object.freeze({
  /** Neither Crisp context nor a UUID: nothing to do. */
  Nothing: 0,
  /** Maybe Crisp context: decode and run the prefilter. */
  MayHaveContext: 1,
  /** No Crisp context, but a UUID: a keypair is possible at a path naming Crisp. */
  UuidOnly: 2
});
function isHex2(c3) {
  return c3 >= 48 && c3 <= 57 || (c3 | 32) >= 97 && (c3 | 32) <= 102;
}
var UUID_LENGTH2 = 36;
function isUuidAt2(bytes, start) {
  if (start < 0 || start + UUID_LENGTH2 > bytes.length) return false;
  for (let k = 0; k < UUID_LENGTH2; k++) {
    if (k === 8 || k === 13 || k === 18 || k === 23) {
      if (bytes[start + k] !== DASH2) return false;
    } else if (!isHex2(bytes[start + k])) return false;
  }
  return true;
}
function compile() {
  if (wasm === void 0) return null;
  try {
    const instance = new wasm.Instance(new wasm.Module(moduleBytes()));
    const memory = instance.exports.mem;
    const find = instance.exports.find;
    const dashes = instance.exports.dashes;
    return (bytes) => {
      const need = bytes.length + TAIL_PADDING;
      if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / WASM_PAGE));
      const view = new Uint8Array(memory.buffer, 0, need);
      view.set(bytes, 0);
      view.fill(0, bytes.length, need);
      if (find(bytes.length) === 1) return ByteClass.MayHaveContext;
      for (let step = dashes(0, bytes.length); step !== -1; step = dashes(step + 16, bytes.length)) {
        for (let p = step; p < step + 16; p++) if (isUuidAt2(view, p)) return ByteClass.UuidOnly;
      }
      return ByteClass.Nothing;
    };
  } catch {
    return null;
  }
}
var simd = compile();
function classifyBytesFallback(bytes) {
  const text = bytes.toString("latin1");
  if (FALLBACK_RE.test(text)) return ByteClass.MayHaveContext;
  return UUID_RE2.test(text) ? ByteClass.UuidOnly : ByteClass.Nothing;
}
function classifyBytes(bytes) {
  return simd !== null ? simd(bytes) : classifyBytesFallback(bytes);
}

// src/sources/git/process.ts
import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
var SAFE_GIT_CONFIG = Object.freeze([
  "core.hooksPath=/dev/null",
  // no hooks (reference-transaction hooks run even on clone)
  "core.fsmonitor=",
  // a repository-chosen fsmonitor is a program git runs
  "diff.external=",
  // an external diff program
  "core.pager=cat",
  "log.showSignature=false",
  // would run gpg.program, which the repository may set
  "protocol.ext.allow=never",
  // ext:: URLs run a command
  "core.quotePath=false",
  "color.ui=false"
]);
var NO_FETCH_GIT_CONFIG = Object.freeze(["protocol.allow=never"]);
var SAFE_DIFF_FLAGS = Object.freeze([
  "--no-textconv",
  "--no-ext-diff",
  "--no-show-signature",
  "--no-color"
]);
var UNSAFE_ENV = /* @__PURE__ */ new Set(["PAGER", "EDITOR", "VISUAL", "SSH_ASKPASS", "PREFIX"]);
function safeGitEnv(extra = {}) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === void 0 || name.startsWith("GIT_") || UNSAFE_ENV.has(name)) continue;
    env[name] = value;
  }
  return {
    ...env,
    GIT_TERMINAL_PROMPT: "0",
    // never wait for a username or password
    GIT_ASKPASS: "",
    // ditto, for a configured askpass helper
    GIT_PAGER: "cat",
    GIT_OPTIONAL_LOCKS: "0",
    // reading must not write the index of the scanned repository
    GIT_NO_REPLACE_OBJECTS: "1",
    // read the objects as stored: refs/replace cannot hide content
    LC_ALL: "C",
    // error text we can recognise
    ...extra
  };
}
function gitArgv(repoPath, args) {
  const argv = [];
  for (const setting of [...SAFE_GIT_CONFIG, ...NO_FETCH_GIT_CONFIG]) argv.push("-c", setting);
  argv.push("--no-pager");
  if (repoPath !== null) argv.push("-C", repoPath);
  argv.push(...args);
  return argv;
}
function gitEnvFor(repoPath, extra = {}) {
  const noFetch = { GIT_NO_LAZY_FETCH: "1" };
  if (repoPath === null) return safeGitEnv({ ...noFetch, ...extra });
  return safeGitEnv({ ...noFetch, GIT_CEILING_DIRECTORIES: dirname(resolve(repoPath)), ...extra });
}
function gitFailureLine(stderr) {
  const lines = stderr.split("\n").map((l) => l.trim()).filter((l) => l.length > 0);
  const pick2 = lines.find((l) => /^(fatal|error):/.test(l)) ?? lines[0] ?? "";
  return pick2.replace(/^(fatal|error):\s*/, "").slice(0, 300);
}
var GitCommandError = class extends Error {
  constructor(message, exitCode, stderr) {
    super(message);
    this.exitCode = exitCode;
    this.stderr = stderr;
    this.name = "GitCommandError";
  }
  exitCode;
  stderr;
};
var STDERR_KEEP_BYTES = 16 * 1024;
function spawnGit(repoPath, args, options = {}) {
  const child = spawn("git", gitArgv(repoPath, args), {
    // `env`: variables the caller needs git to see despite safeGitEnv (a hook's GIT_INDEX_FILE).
    env: gitEnvFor(repoPath, options.env),
    stdio: ["pipe", "pipe", "pipe"],
    signal: options.signal,
    windowsHide: true
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk) => {
    if (stderr.length < STDERR_KEEP_BYTES) stderr += chunk;
  });
  child.stdin.on("error", () => {
  });
  const what = options.what ?? `git ${args[0] ?? ""}`;
  const done = new Promise((resolvePromise, reject) => {
    child.on("error", (error) => {
      if (error.name === "AbortError") reject(abortError(options.signal));
      else if (error.code === "ENOENT") reject(new Error("git is not installed or not on PATH"));
      else reject(new Error(`${what} could not start: ${error.message}`));
    });
    child.on("close", (code, signal) => {
      if (options.signal?.aborted) reject(abortError(options.signal));
      else if (code === 0) resolvePromise();
      else {
        const detail = gitFailureLine(stderr) || (signal ? `killed by ${signal}` : `exit code ${code}`);
        reject(new GitCommandError(`${what} failed: ${detail}`, code, stderr));
      }
    });
  });
  done.catch(() => {
  });
  return { child, done };
}
async function runGit(repoPath, args, options = {}) {
  const { child, done } = spawnGit(repoPath, args, options);
  const chunks = [];
  child.stdout.on("data", (chunk) => chunks.push(chunk));
  child.stdin.end(options.input ?? "");
  await done;
  return Buffer.concat(chunks).toString("utf8");
}
function abortError(signal) {
  const reason = signal?.reason;
  if (reason instanceof Error) return reason;
  const error = new Error("the scan was aborted");
  error.name = "AbortError";
  return error;
}

// src/sources/git/repository.ts
import { mkdir, mkdtemp, readdir, rm, stat } from "node:fs/promises";

// node_modules/simple-git/dist/esm/index.js
var import_file_exists = __toESM(require_dist(), 1);

// node_modules/@simple-git/args-pathspec/dist/index.mjs
var t = /* @__PURE__ */ new WeakMap();
function c(...n) {
  const e = new String(n);
  return t.set(e, n), e;
}
function r(n) {
  return n instanceof String && t.has(n);
}

// node_modules/simple-git/dist/esm/index.js
var import_debug = __toESM(require_src(), 1);
import { spawn as spawn2 } from "child_process";
var import_promise_deferred = __toESM(require_dist2(), 1);
import { normalize } from "node:path";

// node_modules/@simple-git/argv-parser/dist/index.mjs
var x = {
  short: /* @__PURE__ */ new Map([
    ["c", true]
    //  -c <k=v>    set config key for this invocation
  ])
};
var D = {
  short: new Map([
    ["C", true],
    //  -C <path>   change working directory
    ["P", false],
    // -P          no pager (alias for --no-pager)
    ["h", false],
    // -h          help
    ["p", false],
    // -p          paginate
    ["v", false],
    // -v          version
    ...x.short.entries()
  ]),
  long: /* @__PURE__ */ new Set([
    "attr-source",
    "config-env",
    "exec-path",
    "git-dir",
    "list-cmds",
    "namespace",
    "super-prefix",
    "work-tree"
  ])
};
function c2(e, t2, n = String(e)) {
  const o2 = typeof e == "string" ? new RegExp(`\\s*${e.toLowerCase()}`) : e;
  return function(r2) {
    if (o2.test(r2))
      return {
        category: t2,
        message: `Configuring ${n} is not permitted without enabling ${t2}`
      };
  };
}
function i(e, t2) {
  const n = new RegExp(`\\s*${e.toLowerCase().replace(/\./g, "(..+)?.")}`);
  return c2(n, t2, e);
}
var q = [
  c2("alias", "allowUnsafeAlias"),
  c2("core.askPass", "allowUnsafeAskPass"),
  c2("core.editor", "allowUnsafeEditor"),
  c2("core.fsmonitor", "allowUnsafeFsMonitor"),
  c2("core.gitProxy", "allowUnsafeGitProxy"),
  c2("core.hooksPath", "allowUnsafeHooksPath"),
  c2("core.pager", "allowUnsafePager"),
  c2("core.sshCommand", "allowUnsafeSshCommand"),
  i("credential.helper", "allowUnsafeCredentialHelper"),
  i("diff.command", "allowUnsafeDiffExternal"),
  c2("diff.external", "allowUnsafeDiffExternal"),
  i("diff.textconv", "allowUnsafeDiffTextConv"),
  i("filter.clean", "allowUnsafeFilter"),
  i("filter.smudge", "allowUnsafeFilter"),
  i("gpg.program", "allowUnsafeGpgProgram"),
  c2("init.templateDir", "allowUnsafeTemplateDir"),
  i("merge.driver", "allowUnsafeMergeDriver"),
  i("mergetool.path", "allowUnsafeMergeDriver"),
  i("mergetool.cmd", "allowUnsafeMergeDriver"),
  i("protocol.allow", "allowUnsafeProtocolOverride"),
  i("remote.receivepack", "allowUnsafePack"),
  i("remote.uploadpack", "allowUnsafePack"),
  c2("sequence.editor", "allowUnsafeEditor")
];
function h(e, t2, n, o2 = String(t2)) {
  const s = typeof t2 == "string" ? new RegExp(`\\s*${t2.toLowerCase()}`) : t2, r2 = `Use of ${e ? `${e} with option ` : ""}${o2} is not permitted without enabling ${n}`;
  return function(a, f) {
    if ((!e || a === e) && s.test(f))
      return {
        category: n,
        message: r2
      };
  };
}
var H = [
  h(
    null,
    /--(upload|receive)-pack/,
    "allowUnsafePack",
    "--upload-pack or --receive-pack"
  ),
  h("clone", /^-\w*u/, "allowUnsafePack"),
  h("clone", "--u", "allowUnsafePack"),
  h("push", "--exec", "allowUnsafePack"),
  h(null, "--template", "allowUnsafeTemplateDir")
];

// node_modules/simple-git/dist/esm/index.js
var import_promise_deferred2 = __toESM(require_dist2(), 1);
var __defProp2 = Object.defineProperty;
var __getOwnPropDesc2 = Object.getOwnPropertyDescriptor;
var __getOwnPropNames2 = Object.getOwnPropertyNames;
var __hasOwnProp2 = Object.prototype.hasOwnProperty;
var __esm = (fn, res) => function __init() {
  return fn && (res = (0, fn[__getOwnPropNames2(fn)[0]])(fn = 0)), res;
};
var __commonJS2 = (cb, mod) => function __require2() {
  return mod || (0, cb[__getOwnPropNames2(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
};
var __export = (target, all) => {
  for (var name in all)
    __defProp2(target, name, { get: all[name], enumerable: true });
};
var __copyProps2 = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames2(from))
      if (!__hasOwnProp2.call(to, key) && key !== except)
        __defProp2(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc2(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps2(__defProp2({}, "__esModule", { value: true }), mod);
var GitError;
var init_git_error = __esm({
  "src/lib/errors/git-error.ts"() {
    "use strict";
    GitError = class extends Error {
      constructor(task, message) {
        super(message);
        this.task = task;
        Object.setPrototypeOf(this, new.target.prototype);
      }
    };
  }
});
var GitResponseError;
var init_git_response_error = __esm({
  "src/lib/errors/git-response-error.ts"() {
    "use strict";
    init_git_error();
    GitResponseError = class extends GitError {
      constructor(git, message) {
        super(void 0, message || String(git));
        this.git = git;
      }
    };
  }
});
var TaskConfigurationError;
var init_task_configuration_error = __esm({
  "src/lib/errors/task-configuration-error.ts"() {
    "use strict";
    init_git_error();
    TaskConfigurationError = class extends GitError {
      constructor(message) {
        super(void 0, message);
      }
    };
  }
});
function asFunction(source) {
  if (typeof source !== "function") {
    return NOOP;
  }
  return source;
}
function isUserFunction(source) {
  return typeof source === "function" && source !== NOOP;
}
function splitOn(input, char) {
  const index = input.indexOf(char);
  if (index <= 0) {
    return [input, ""];
  }
  return [input.substr(0, index), input.substr(index + 1)];
}
function first(input, offset = 0) {
  return isArrayLike(input) && input.length > offset ? input[offset] : void 0;
}
function last(input, offset = 0) {
  if (isArrayLike(input) && input.length > offset) {
    return input[input.length - 1 - offset];
  }
}
function isArrayLike(input) {
  return filterHasLength(input);
}
function toLinesWithContent(input = "", trimmed2 = true, separator = "\n") {
  return input.split(separator).reduce((output, line) => {
    const lineContent = trimmed2 ? line.trim() : line;
    if (lineContent) {
      output.push(lineContent);
    }
    return output;
  }, []);
}
function forEachLineWithContent(input, callback) {
  return toLinesWithContent(input, true).map((line) => callback(line));
}
function folderExists(path) {
  return (0, import_file_exists.exists)(path, import_file_exists.FOLDER);
}
function append(target, item) {
  if (Array.isArray(target)) {
    if (!target.includes(item)) {
      target.push(item);
    }
  } else {
    target.add(item);
  }
  return item;
}
function including(target, item) {
  if (Array.isArray(target) && !target.includes(item)) {
    target.push(item);
  }
  return target;
}
function remove(target, item) {
  if (Array.isArray(target)) {
    const index = target.indexOf(item);
    if (index >= 0) {
      target.splice(index, 1);
    }
  } else {
    target.delete(item);
  }
  return item;
}
function asArray(source) {
  return Array.isArray(source) ? source : [source];
}
function asCamelCase(str) {
  return str.replace(/[\s-]+(.)/g, (_all, chr) => {
    return chr.toUpperCase();
  });
}
function asStringArray(source) {
  return asArray(source).map((item) => {
    return item instanceof String ? item : String(item);
  });
}
function asNumber(source, onNaN = 0) {
  if (source == null) {
    return onNaN;
  }
  const num = parseInt(source, 10);
  return Number.isNaN(num) ? onNaN : num;
}
function prefixedArray(input, prefix) {
  const output = [];
  for (let i2 = 0, max = input.length; i2 < max; i2++) {
    output.push(prefix, input[i2]);
  }
  return output;
}
function bufferToString(input) {
  return (Array.isArray(input) ? Buffer.concat(input) : input).toString("utf-8");
}
function pick(source, properties) {
  const out = {};
  properties.forEach((key) => {
    if (source[key] !== void 0) {
      out[key] = source[key];
    }
  });
  return out;
}
function delay(duration = 0) {
  return new Promise((done) => setTimeout(done, duration));
}
function orVoid(input) {
  if (input === false) {
    return void 0;
  }
  return input;
}
var NULL;
var NOOP;
var objectToString;
var init_util = __esm({
  "src/lib/utils/util.ts"() {
    "use strict";
    init_argument_filters();
    NULL = "\0";
    NOOP = () => {
    };
    objectToString = Object.prototype.toString.call.bind(Object.prototype.toString);
  }
});
function filterType(input, filter, def) {
  if (filter(input)) {
    return input;
  }
  return arguments.length > 2 ? def : void 0;
}
function filterPrimitives(input, omit) {
  const type = r(input) ? "string" : typeof input;
  return /number|string|boolean/.test(type) && (!omit || !omit.includes(type));
}
function filterPlainObject(input) {
  return !!input && objectToString(input) === "[object Object]";
}
function filterFunction(input) {
  return typeof input === "function";
}
var filterArray;
var filterNumber;
var filterString;
var filterStringOrStringArray;
var filterHasLength;
var init_argument_filters = __esm({
  "src/lib/utils/argument-filters.ts"() {
    "use strict";
    init_util();
    filterArray = (input) => {
      return Array.isArray(input);
    };
    filterNumber = (input) => {
      return typeof input === "number";
    };
    filterString = (input) => {
      return typeof input === "string" || r(input);
    };
    filterStringOrStringArray = (input) => {
      return filterString(input) || Array.isArray(input) && input.every(filterString);
    };
    filterHasLength = (input) => {
      if (input == null || "number|boolean|function".includes(typeof input)) {
        return false;
      }
      return typeof input.length === "number";
    };
  }
});
var ExitCodes;
var init_exit_codes = __esm({
  "src/lib/utils/exit-codes.ts"() {
    "use strict";
    ExitCodes = /* @__PURE__ */ ((ExitCodes2) => {
      ExitCodes2[ExitCodes2["SUCCESS"] = 0] = "SUCCESS";
      ExitCodes2[ExitCodes2["ERROR"] = 1] = "ERROR";
      ExitCodes2[ExitCodes2["NOT_FOUND"] = -2] = "NOT_FOUND";
      ExitCodes2[ExitCodes2["UNCLEAN"] = 128] = "UNCLEAN";
      return ExitCodes2;
    })(ExitCodes || {});
  }
});
var GitOutputStreams;
var init_git_output_streams = __esm({
  "src/lib/utils/git-output-streams.ts"() {
    "use strict";
    GitOutputStreams = class _GitOutputStreams {
      constructor(stdOut, stdErr) {
        this.stdOut = stdOut;
        this.stdErr = stdErr;
      }
      asStrings() {
        return new _GitOutputStreams(this.stdOut.toString("utf8"), this.stdErr.toString("utf8"));
      }
    };
  }
});
function useMatchesDefault() {
  throw new Error(`LineParser:useMatches not implemented`);
}
var LineParser;
var RemoteLineParser;
var init_line_parser = __esm({
  "src/lib/utils/line-parser.ts"() {
    "use strict";
    LineParser = class {
      constructor(regExp, useMatches) {
        this.matches = [];
        this.useMatches = useMatchesDefault;
        this.parse = (line, target) => {
          this.resetMatches();
          if (!this._regExp.every((reg, index) => this.addMatch(reg, index, line(index)))) {
            return false;
          }
          return this.useMatches(target, this.prepareMatches()) !== false;
        };
        this._regExp = Array.isArray(regExp) ? regExp : [regExp];
        if (useMatches) {
          this.useMatches = useMatches;
        }
      }
      resetMatches() {
        this.matches.length = 0;
      }
      prepareMatches() {
        return this.matches;
      }
      addMatch(reg, index, line) {
        const matched = line && reg.exec(line);
        if (matched) {
          this.pushMatch(index, matched);
        }
        return !!matched;
      }
      pushMatch(_index, matched) {
        this.matches.push(...matched.slice(1));
      }
    };
    RemoteLineParser = class extends LineParser {
      addMatch(reg, index, line) {
        return /^remote:\s/.test(String(line)) && super.addMatch(reg, index, line);
      }
      pushMatch(index, matched) {
        if (index > 0 || matched.length > 1) {
          super.pushMatch(index, matched);
        }
      }
    };
  }
});
function createInstanceConfig(...options) {
  const baseDir = process.cwd();
  const config = Object.assign(
    { baseDir, ...defaultOptions },
    ...options.filter((o2) => typeof o2 === "object" && o2)
  );
  config.baseDir = config.baseDir || baseDir;
  config.trimmed = config.trimmed === true;
  return config;
}
var defaultOptions;
var init_simple_git_options = __esm({
  "src/lib/utils/simple-git-options.ts"() {
    "use strict";
    defaultOptions = {
      binary: "git",
      maxConcurrentProcesses: 5,
      config: [],
      trimmed: false
    };
  }
});
function appendTaskOptions(options, commands = []) {
  if (!filterPlainObject(options)) {
    return commands;
  }
  return Object.keys(options).reduce((commands2, key) => {
    const value = options[key];
    if (r(value)) {
      commands2.push(value);
    } else if (filterPrimitives(value, ["boolean"])) {
      commands2.push(key + "=" + value);
    } else if (Array.isArray(value)) {
      for (const v of value) {
        if (!filterPrimitives(v, ["string", "number"])) {
          commands2.push(key + "=" + v);
        }
      }
    } else {
      commands2.push(key);
    }
    return commands2;
  }, commands);
}
function getTrailingOptions(args, initialPrimitive = 0, objectOnly = false) {
  const command = [];
  for (let i2 = 0, max = initialPrimitive < 0 ? args.length : initialPrimitive; i2 < max; i2++) {
    if ("string|number".includes(typeof args[i2])) {
      command.push(String(args[i2]));
    }
  }
  appendTaskOptions(trailingOptionsArgument(args), command);
  if (!objectOnly) {
    command.push(...trailingArrayArgument(args));
  }
  return command;
}
function trailingArrayArgument(args) {
  const hasTrailingCallback = typeof last(args) === "function";
  return asStringArray(filterType(last(args, hasTrailingCallback ? 1 : 0), filterArray, []));
}
function trailingOptionsArgument(args) {
  const hasTrailingCallback = filterFunction(last(args));
  return filterType(last(args, hasTrailingCallback ? 1 : 0), filterPlainObject);
}
function trailingFunctionArgument(args, includeNoop = true) {
  const callback = asFunction(last(args));
  return includeNoop || isUserFunction(callback) ? callback : void 0;
}
var init_task_options = __esm({
  "src/lib/utils/task-options.ts"() {
    "use strict";
    init_argument_filters();
    init_util();
  }
});
function callTaskParser(parser4, streams) {
  return parser4(streams.stdOut, streams.stdErr);
}
function parseStringResponse(result, parsers12, texts, trim = true) {
  asArray(texts).forEach((text) => {
    for (let lines = toLinesWithContent(text, trim), i2 = 0, max = lines.length; i2 < max; i2++) {
      const line = (offset = 0) => {
        if (i2 + offset >= max) {
          return;
        }
        return lines[i2 + offset];
      };
      parsers12.some(({ parse }) => parse(line, result));
    }
  });
  return result;
}
var init_task_parser = __esm({
  "src/lib/utils/task-parser.ts"() {
    "use strict";
    init_util();
  }
});
var utils_exports = {};
__export(utils_exports, {
  ExitCodes: () => ExitCodes,
  GitOutputStreams: () => GitOutputStreams,
  LineParser: () => LineParser,
  NOOP: () => NOOP,
  NULL: () => NULL,
  RemoteLineParser: () => RemoteLineParser,
  append: () => append,
  appendTaskOptions: () => appendTaskOptions,
  asArray: () => asArray,
  asCamelCase: () => asCamelCase,
  asFunction: () => asFunction,
  asNumber: () => asNumber,
  asStringArray: () => asStringArray,
  bufferToString: () => bufferToString,
  callTaskParser: () => callTaskParser,
  createInstanceConfig: () => createInstanceConfig,
  delay: () => delay,
  filterArray: () => filterArray,
  filterFunction: () => filterFunction,
  filterHasLength: () => filterHasLength,
  filterNumber: () => filterNumber,
  filterPlainObject: () => filterPlainObject,
  filterPrimitives: () => filterPrimitives,
  filterString: () => filterString,
  filterStringOrStringArray: () => filterStringOrStringArray,
  filterType: () => filterType,
  first: () => first,
  folderExists: () => folderExists,
  forEachLineWithContent: () => forEachLineWithContent,
  getTrailingOptions: () => getTrailingOptions,
  including: () => including,
  isUserFunction: () => isUserFunction,
  last: () => last,
  objectToString: () => objectToString,
  orVoid: () => orVoid,
  parseStringResponse: () => parseStringResponse,
  pick: () => pick,
  prefixedArray: () => prefixedArray,
  remove: () => remove,
  splitOn: () => splitOn,
  toLinesWithContent: () => toLinesWithContent,
  trailingFunctionArgument: () => trailingFunctionArgument,
  trailingOptionsArgument: () => trailingOptionsArgument
});
var init_utils = __esm({
  "src/lib/utils/index.ts"() {
    "use strict";
    init_argument_filters();
    init_exit_codes();
    init_git_output_streams();
    init_line_parser();
    init_simple_git_options();
    init_task_options();
    init_task_parser();
    init_util();
  }
});
var check_is_repo_exports = {};
__export(check_is_repo_exports, {
  CheckRepoActions: () => CheckRepoActions,
  checkIsBareRepoTask: () => checkIsBareRepoTask,
  checkIsRepoRootTask: () => checkIsRepoRootTask,
  checkIsRepoTask: () => checkIsRepoTask
});
function checkIsRepoTask(action) {
  switch (action) {
    case "bare":
      return checkIsBareRepoTask();
    case "root":
      return checkIsRepoRootTask();
  }
  const commands = ["rev-parse", "--is-inside-work-tree"];
  return {
    commands,
    format: "utf-8",
    onError,
    parser
  };
}
function checkIsRepoRootTask() {
  const commands = ["rev-parse", "--git-dir"];
  return {
    commands,
    format: "utf-8",
    onError,
    parser(path) {
      return /^\.(git)?$/.test(path.trim());
    }
  };
}
function checkIsBareRepoTask() {
  const commands = ["rev-parse", "--is-bare-repository"];
  return {
    commands,
    format: "utf-8",
    onError,
    parser
  };
}
function isNotRepoMessage(error) {
  return /(Not a git repository|Kein Git-Repository)/i.test(String(error));
}
var CheckRepoActions;
var onError;
var parser;
var init_check_is_repo = __esm({
  "src/lib/tasks/check-is-repo.ts"() {
    "use strict";
    init_utils();
    CheckRepoActions = /* @__PURE__ */ ((CheckRepoActions2) => {
      CheckRepoActions2["BARE"] = "bare";
      CheckRepoActions2["IN_TREE"] = "tree";
      CheckRepoActions2["IS_REPO_ROOT"] = "root";
      return CheckRepoActions2;
    })(CheckRepoActions || {});
    onError = ({ exitCode }, error, done, fail) => {
      if (exitCode === 128 && isNotRepoMessage(error)) {
        return done(Buffer.from("false"));
      }
      fail(error);
    };
    parser = (text) => {
      return text.trim() === "true";
    };
  }
});
function cleanSummaryParser(dryRun, text) {
  const summary = new CleanResponse(dryRun);
  const regexp = dryRun ? dryRunRemovalRegexp : removalRegexp;
  toLinesWithContent(text).forEach((line) => {
    const removed = line.replace(regexp, "");
    summary.paths.push(removed);
    (isFolderRegexp.test(removed) ? summary.folders : summary.files).push(removed);
  });
  return summary;
}
var CleanResponse;
var removalRegexp;
var dryRunRemovalRegexp;
var isFolderRegexp;
var init_CleanSummary = __esm({
  "src/lib/responses/CleanSummary.ts"() {
    "use strict";
    init_utils();
    CleanResponse = class {
      constructor(dryRun) {
        this.dryRun = dryRun;
        this.paths = [];
        this.files = [];
        this.folders = [];
      }
    };
    removalRegexp = /^[a-z]+\s*/i;
    dryRunRemovalRegexp = /^[a-z]+\s+[a-z]+\s*/i;
    isFolderRegexp = /\/$/;
  }
});
var task_exports = {};
__export(task_exports, {
  EMPTY_COMMANDS: () => EMPTY_COMMANDS,
  adhocExecTask: () => adhocExecTask,
  configurationErrorTask: () => configurationErrorTask,
  isBufferTask: () => isBufferTask,
  isEmptyTask: () => isEmptyTask,
  straightThroughBufferTask: () => straightThroughBufferTask,
  straightThroughStringTask: () => straightThroughStringTask
});
function adhocExecTask(parser4) {
  return {
    commands: EMPTY_COMMANDS,
    format: "empty",
    parser: parser4
  };
}
function configurationErrorTask(error) {
  return {
    commands: EMPTY_COMMANDS,
    format: "empty",
    parser() {
      throw typeof error === "string" ? new TaskConfigurationError(error) : error;
    }
  };
}
function straightThroughStringTask(commands, trimmed2 = false) {
  return {
    commands,
    format: "utf-8",
    parser(text) {
      return trimmed2 ? String(text).trim() : text;
    }
  };
}
function straightThroughBufferTask(commands) {
  return {
    commands,
    format: "buffer",
    parser(buffer) {
      return buffer;
    }
  };
}
function isBufferTask(task) {
  return task.format === "buffer";
}
function isEmptyTask(task) {
  return task.format === "empty" || !task.commands.length;
}
var EMPTY_COMMANDS;
var init_task = __esm({
  "src/lib/tasks/task.ts"() {
    "use strict";
    init_task_configuration_error();
    EMPTY_COMMANDS = [];
  }
});
var clean_exports = {};
__export(clean_exports, {
  CONFIG_ERROR_INTERACTIVE_MODE: () => CONFIG_ERROR_INTERACTIVE_MODE,
  CONFIG_ERROR_MODE_REQUIRED: () => CONFIG_ERROR_MODE_REQUIRED,
  CONFIG_ERROR_UNKNOWN_OPTION: () => CONFIG_ERROR_UNKNOWN_OPTION,
  CleanOptions: () => CleanOptions,
  cleanTask: () => cleanTask,
  cleanWithOptionsTask: () => cleanWithOptionsTask,
  isCleanOptionsArray: () => isCleanOptionsArray
});
function cleanWithOptionsTask(mode, customArgs) {
  const { cleanMode, options, valid } = getCleanOptions(mode);
  if (!cleanMode) {
    return configurationErrorTask(CONFIG_ERROR_MODE_REQUIRED);
  }
  if (!valid.options) {
    return configurationErrorTask(CONFIG_ERROR_UNKNOWN_OPTION + JSON.stringify(mode));
  }
  options.push(...customArgs);
  if (options.some(isInteractiveMode)) {
    return configurationErrorTask(CONFIG_ERROR_INTERACTIVE_MODE);
  }
  return cleanTask(cleanMode, options);
}
function cleanTask(mode, customArgs) {
  const commands = ["clean", `-${mode}`, ...customArgs];
  return {
    commands,
    format: "utf-8",
    parser(text) {
      return cleanSummaryParser(mode === "n", text);
    }
  };
}
function isCleanOptionsArray(input) {
  return Array.isArray(input) && input.every((test) => CleanOptionValues.has(test));
}
function getCleanOptions(input) {
  let cleanMode;
  let options = [];
  let valid = { cleanMode: false, options: true };
  input.replace(/[^a-z]i/g, "").split("").forEach((char) => {
    if (isCleanMode(char)) {
      cleanMode = char;
      valid.cleanMode = true;
    } else {
      valid.options = valid.options && isKnownOption(options[options.length] = `-${char}`);
    }
  });
  return {
    cleanMode,
    options,
    valid
  };
}
function isCleanMode(cleanMode) {
  return cleanMode === "f" || cleanMode === "n";
}
function isKnownOption(option) {
  return /^-[a-z]$/i.test(option) && CleanOptionValues.has(option.charAt(1));
}
function isInteractiveMode(option) {
  if (/^-[^\-]/.test(option)) {
    return option.indexOf("i") > 0;
  }
  return option === "--interactive";
}
var CONFIG_ERROR_INTERACTIVE_MODE;
var CONFIG_ERROR_MODE_REQUIRED;
var CONFIG_ERROR_UNKNOWN_OPTION;
var CleanOptions;
var CleanOptionValues;
var init_clean = __esm({
  "src/lib/tasks/clean.ts"() {
    "use strict";
    init_CleanSummary();
    init_utils();
    init_task();
    CONFIG_ERROR_INTERACTIVE_MODE = "Git clean interactive mode is not supported";
    CONFIG_ERROR_MODE_REQUIRED = 'Git clean mode parameter ("n" or "f") is required';
    CONFIG_ERROR_UNKNOWN_OPTION = "Git clean unknown option found in: ";
    CleanOptions = /* @__PURE__ */ ((CleanOptions2) => {
      CleanOptions2["DRY_RUN"] = "n";
      CleanOptions2["FORCE"] = "f";
      CleanOptions2["IGNORED_INCLUDED"] = "x";
      CleanOptions2["IGNORED_ONLY"] = "X";
      CleanOptions2["EXCLUDING"] = "e";
      CleanOptions2["QUIET"] = "q";
      CleanOptions2["RECURSIVE"] = "d";
      return CleanOptions2;
    })(CleanOptions || {});
    CleanOptionValues = /* @__PURE__ */ new Set([
      "i",
      ...asStringArray(Object.values(CleanOptions))
    ]);
  }
});
function configListParser(text) {
  const config = new ConfigList();
  for (const item of configParser(text)) {
    config.addValue(item.file, String(item.key), item.value);
  }
  return config;
}
function configGetParser(text, key) {
  let value = null;
  const values = [];
  const scopes = /* @__PURE__ */ new Map();
  for (const item of configParser(text, key)) {
    if (item.key !== key) {
      continue;
    }
    values.push(value = item.value);
    if (!scopes.has(item.file)) {
      scopes.set(item.file, []);
    }
    scopes.get(item.file).push(value);
  }
  return {
    key,
    paths: Array.from(scopes.keys()),
    scopes,
    value,
    values
  };
}
function configFilePath(filePath) {
  return filePath.replace(/^(file):/, "");
}
function* configParser(text, requestedKey = null) {
  const lines = text.split("\0");
  for (let i2 = 0, max = lines.length - 1; i2 < max; ) {
    const file = configFilePath(lines[i2++]);
    let value = lines[i2++];
    let key = requestedKey;
    if (value.includes("\n")) {
      const line = splitOn(value, "\n");
      key = line[0];
      value = line[1];
    }
    yield { file, key, value };
  }
}
var ConfigList;
var init_ConfigList = __esm({
  "src/lib/responses/ConfigList.ts"() {
    "use strict";
    init_utils();
    ConfigList = class {
      constructor() {
        this.files = [];
        this.values = /* @__PURE__ */ Object.create(null);
      }
      get all() {
        if (!this._all) {
          this._all = this.files.reduce((all, file) => {
            return Object.assign(all, this.values[file]);
          }, {});
        }
        return this._all;
      }
      addFile(file) {
        if (!(file in this.values)) {
          const latest = last(this.files);
          this.values[file] = latest ? Object.create(this.values[latest]) : {};
          this.files.push(file);
        }
        return this.values[file];
      }
      addValue(file, key, value) {
        const values = this.addFile(file);
        if (!Object.hasOwn(values, key)) {
          values[key] = value;
        } else if (Array.isArray(values[key])) {
          values[key].push(value);
        } else {
          values[key] = [values[key], value];
        }
        this._all = void 0;
      }
    };
  }
});
function asConfigScope(scope, fallback) {
  if (typeof scope === "string" && Object.hasOwn(GitConfigScope, scope)) {
    return scope;
  }
  return fallback;
}
function addConfigTask(key, value, append2, scope) {
  const commands = ["config", `--${scope}`];
  if (append2) {
    commands.push("--add");
  }
  commands.push(key, value);
  return {
    commands,
    format: "utf-8",
    parser(text) {
      return text;
    }
  };
}
function getConfigTask(key, scope) {
  const commands = ["config", "--null", "--show-origin", "--get-all", key];
  if (scope) {
    commands.splice(1, 0, `--${scope}`);
  }
  return {
    commands,
    format: "utf-8",
    parser(text) {
      return configGetParser(text, key);
    }
  };
}
function listConfigTask(scope) {
  const commands = ["config", "--list", "--show-origin", "--null"];
  if (scope) {
    commands.push(`--${scope}`);
  }
  return {
    commands,
    format: "utf-8",
    parser(text) {
      return configListParser(text);
    }
  };
}
function config_default() {
  return {
    addConfig(key, value, ...rest) {
      return this._runTask(
        addConfigTask(
          key,
          value,
          rest[0] === true,
          asConfigScope(
            rest[1],
            "local"
            /* local */
          )
        ),
        trailingFunctionArgument(arguments)
      );
    },
    getConfig(key, scope) {
      return this._runTask(
        getConfigTask(key, asConfigScope(scope, void 0)),
        trailingFunctionArgument(arguments)
      );
    },
    listConfig(...rest) {
      return this._runTask(
        listConfigTask(asConfigScope(rest[0], void 0)),
        trailingFunctionArgument(arguments)
      );
    }
  };
}
var GitConfigScope;
var init_config = __esm({
  "src/lib/tasks/config.ts"() {
    "use strict";
    init_ConfigList();
    init_utils();
    GitConfigScope = /* @__PURE__ */ ((GitConfigScope2) => {
      GitConfigScope2["system"] = "system";
      GitConfigScope2["global"] = "global";
      GitConfigScope2["local"] = "local";
      GitConfigScope2["worktree"] = "worktree";
      return GitConfigScope2;
    })(GitConfigScope || {});
  }
});
function isDiffNameStatus(input) {
  return diffNameStatus.has(input);
}
var DiffNameStatus;
var diffNameStatus;
var init_diff_name_status = __esm({
  "src/lib/tasks/diff-name-status.ts"() {
    "use strict";
    DiffNameStatus = /* @__PURE__ */ ((DiffNameStatus2) => {
      DiffNameStatus2["ADDED"] = "A";
      DiffNameStatus2["COPIED"] = "C";
      DiffNameStatus2["DELETED"] = "D";
      DiffNameStatus2["MODIFIED"] = "M";
      DiffNameStatus2["RENAMED"] = "R";
      DiffNameStatus2["CHANGED"] = "T";
      DiffNameStatus2["UNMERGED"] = "U";
      DiffNameStatus2["UNKNOWN"] = "X";
      DiffNameStatus2["BROKEN"] = "B";
      return DiffNameStatus2;
    })(DiffNameStatus || {});
    diffNameStatus = new Set(Object.values(DiffNameStatus));
  }
});
function grepQueryBuilder(...params) {
  return new GrepQuery().param(...params);
}
function parseGrep(grep) {
  const paths = /* @__PURE__ */ new Set();
  const results = {};
  forEachLineWithContent(grep, (input) => {
    const [path, line, preview] = input.split(NULL);
    paths.add(path);
    (results[path] = results[path] || []).push({
      line: asNumber(line),
      path,
      preview
    });
  });
  return {
    paths,
    results
  };
}
function grep_default() {
  return {
    grep(searchTerm) {
      const then = trailingFunctionArgument(arguments);
      const options = getTrailingOptions(arguments);
      for (const option of disallowedOptions) {
        if (options.includes(option)) {
          return this._runTask(
            configurationErrorTask(`git.grep: use of "${option}" is not supported.`),
            then
          );
        }
      }
      if (typeof searchTerm === "string") {
        searchTerm = grepQueryBuilder().param(searchTerm);
      }
      const commands = ["grep", "--null", "-n", "--full-name", ...options, ...searchTerm];
      return this._runTask(
        {
          commands,
          format: "utf-8",
          parser(stdOut) {
            return parseGrep(stdOut);
          }
        },
        then
      );
    }
  };
}
var disallowedOptions;
var Query;
var _a;
var GrepQuery;
var init_grep = __esm({
  "src/lib/tasks/grep.ts"() {
    "use strict";
    init_utils();
    init_task();
    disallowedOptions = ["-h"];
    Query = /* @__PURE__ */ Symbol("grepQuery");
    GrepQuery = class {
      constructor() {
        this[_a] = [];
      }
      *[(_a = Query, Symbol.iterator)]() {
        for (const query of this[Query]) {
          yield query;
        }
      }
      and(...and) {
        and.length && this[Query].push("--and", "(", ...prefixedArray(and, "-e"), ")");
        return this;
      }
      param(...param) {
        this[Query].push(...prefixedArray(param, "-e"));
        return this;
      }
    };
  }
});
var reset_exports = {};
__export(reset_exports, {
  ResetMode: () => ResetMode,
  getResetMode: () => getResetMode,
  resetTask: () => resetTask
});
function resetTask(mode, customArgs) {
  const commands = ["reset"];
  if (isValidResetMode(mode)) {
    commands.push(`--${mode}`);
  }
  commands.push(...customArgs);
  return straightThroughStringTask(commands);
}
function getResetMode(mode) {
  if (isValidResetMode(mode)) {
    return mode;
  }
  switch (typeof mode) {
    case "string":
    case "undefined":
      return "soft";
  }
  return;
}
function isValidResetMode(mode) {
  return typeof mode === "string" && validResetModes.includes(mode);
}
var ResetMode;
var validResetModes;
var init_reset = __esm({
  "src/lib/tasks/reset.ts"() {
    "use strict";
    init_utils();
    init_task();
    ResetMode = /* @__PURE__ */ ((ResetMode2) => {
      ResetMode2["MIXED"] = "mixed";
      ResetMode2["SOFT"] = "soft";
      ResetMode2["HARD"] = "hard";
      ResetMode2["MERGE"] = "merge";
      ResetMode2["KEEP"] = "keep";
      return ResetMode2;
    })(ResetMode || {});
    validResetModes = asStringArray(Object.values(ResetMode));
  }
});
function createLog() {
  return (0, import_debug.default)("simple-git");
}
function prefixedLogger(to, prefix, forward) {
  if (!prefix || !String(prefix).replace(/\s*/, "")) {
    return !forward ? to : (message, ...args) => {
      to(message, ...args);
      forward(message, ...args);
    };
  }
  return (message, ...args) => {
    to(`%s ${message}`, prefix, ...args);
    if (forward) {
      forward(message, ...args);
    }
  };
}
function childLoggerName(name, childDebugger, { namespace: parentNamespace }) {
  if (typeof name === "string") {
    return name;
  }
  const childNamespace = childDebugger && childDebugger.namespace || "";
  if (childNamespace.startsWith(parentNamespace)) {
    return childNamespace.substr(parentNamespace.length + 1);
  }
  return childNamespace || parentNamespace;
}
function createLogger(label, verbose, initialStep, infoDebugger = createLog()) {
  const labelPrefix = label && `[${label}]` || "";
  const spawned = [];
  const debugDebugger = typeof verbose === "string" ? infoDebugger.extend(verbose) : verbose;
  const key = childLoggerName(filterType(verbose, filterString), debugDebugger, infoDebugger);
  return step(initialStep);
  function sibling(name, initial) {
    return append(
      spawned,
      createLogger(label, key.replace(/^[^:]+/, name), initial, infoDebugger)
    );
  }
  function step(phase) {
    const stepPrefix = phase && `[${phase}]` || "";
    const debug2 = debugDebugger && prefixedLogger(debugDebugger, stepPrefix) || NOOP;
    const info = prefixedLogger(infoDebugger, `${labelPrefix} ${stepPrefix}`, debug2);
    return Object.assign(debugDebugger ? debug2 : info, {
      label,
      sibling,
      info,
      step
    });
  }
}
var init_git_logger = __esm({
  "src/lib/git-logger.ts"() {
    "use strict";
    init_utils();
    import_debug.default.formatters.L = (value) => String(filterHasLength(value) ? value.length : "-");
    import_debug.default.formatters.B = (value) => {
      if (Buffer.isBuffer(value)) {
        return value.toString("utf8");
      }
      return objectToString(value);
    };
  }
});
var TasksPendingQueue;
var init_tasks_pending_queue = __esm({
  "src/lib/runners/tasks-pending-queue.ts"() {
    "use strict";
    init_git_error();
    init_git_logger();
    TasksPendingQueue = class _TasksPendingQueue {
      constructor(logLabel = "GitExecutor") {
        this.logLabel = logLabel;
        this._queue = /* @__PURE__ */ new Map();
      }
      withProgress(task) {
        return this._queue.get(task);
      }
      createProgress(task) {
        const name = _TasksPendingQueue.getName(task.commands[0]);
        const logger = createLogger(this.logLabel, name);
        return {
          task,
          logger,
          name
        };
      }
      push(task) {
        const progress = this.createProgress(task);
        progress.logger("Adding task to the queue, commands = %o", task.commands);
        this._queue.set(task, progress);
        return progress;
      }
      fatal(err) {
        for (const [task, { logger }] of Array.from(this._queue.entries())) {
          if (task === err.task) {
            logger.info(`Failed %o`, err);
            logger(
              `Fatal exception, any as-yet un-started tasks run through this executor will not be attempted`
            );
          } else {
            logger.info(
              `A fatal exception occurred in a previous task, the queue has been purged: %o`,
              err.message
            );
          }
          this.complete(task);
        }
        if (this._queue.size !== 0) {
          throw new Error(`Queue size should be zero after fatal: ${this._queue.size}`);
        }
      }
      complete(task) {
        const progress = this.withProgress(task);
        if (progress) {
          this._queue.delete(task);
        }
      }
      attempt(task) {
        const progress = this.withProgress(task);
        if (!progress) {
          throw new GitError(void 0, "TasksPendingQueue: attempt called for an unknown task");
        }
        progress.logger("Starting task");
        return progress;
      }
      static getName(name = "empty") {
        return `task:${name}:${++_TasksPendingQueue.counter}`;
      }
      static {
        this.counter = 0;
      }
    };
  }
});
function pluginContext(task, commands) {
  return {
    method: first(task.commands) || "",
    commands
  };
}
function onErrorReceived(target, logger) {
  return (err) => {
    logger(`[ERROR] child process exception %o`, err);
    target.push(Buffer.from(String(err.stack), "ascii"));
  };
}
function onDataReceived(target, name, logger, output) {
  return (buffer) => {
    logger(`%s received %L bytes`, name, buffer);
    output(`%B`, buffer);
    target.push(buffer);
  };
}
var GitExecutorChain;
var init_git_executor_chain = __esm({
  "src/lib/runners/git-executor-chain.ts"() {
    "use strict";
    init_git_error();
    init_task();
    init_utils();
    init_tasks_pending_queue();
    GitExecutorChain = class {
      constructor(_executor, _scheduler, _plugins) {
        this._executor = _executor;
        this._scheduler = _scheduler;
        this._plugins = _plugins;
        this._chain = Promise.resolve();
        this._queue = new TasksPendingQueue();
      }
      get cwd() {
        return this._cwd || this._executor.cwd;
      }
      set cwd(cwd) {
        this._cwd = cwd;
      }
      get env() {
        return this._executor.env;
      }
      get outputHandler() {
        return this._executor.outputHandler;
      }
      chain() {
        return this;
      }
      push(task) {
        this._queue.push(task);
        return this._chain = this._chain.then(() => this.attemptTask(task));
      }
      async attemptTask(task) {
        const onScheduleComplete = await this._scheduler.next();
        const onQueueComplete = () => this._queue.complete(task);
        try {
          const { logger } = this._queue.attempt(task);
          return await (isEmptyTask(task) ? this.attemptEmptyTask(task, logger) : this.attemptRemoteTask(task, logger));
        } catch (e) {
          throw this.onFatalException(task, e);
        } finally {
          onQueueComplete();
          onScheduleComplete();
        }
      }
      onFatalException(task, e) {
        const gitError = e instanceof GitError ? Object.assign(e, { task }) : new GitError(task, e && String(e));
        this._chain = Promise.resolve();
        this._queue.fatal(gitError);
        return gitError;
      }
      async attemptRemoteTask(task, logger) {
        const binary = this._plugins.exec("spawn.binary", "", pluginContext(task, task.commands));
        const args = this._plugins.exec("spawn.args", [...task.commands], {
          ...pluginContext(task, task.commands),
          env: { ...this.env }
        });
        const raw = await this.gitResponse(
          task,
          binary,
          args,
          this.outputHandler,
          logger.step("SPAWN")
        );
        const outputStreams = await this.handleTaskData(task, args, raw, logger.step("HANDLE"));
        logger(`passing response to task's parser as a %s`, task.format);
        if (isBufferTask(task)) {
          return callTaskParser(task.parser, outputStreams);
        }
        return callTaskParser(task.parser, outputStreams.asStrings());
      }
      async attemptEmptyTask(task, logger) {
        logger(`empty task bypassing child process to call to task's parser`);
        return task.parser(this);
      }
      handleTaskData(task, args, result, logger) {
        const { exitCode, rejection, stdOut, stdErr } = result;
        return new Promise((done, fail) => {
          logger(`Preparing to handle process response exitCode=%d stdOut=`, exitCode);
          const { error } = this._plugins.exec(
            "task.error",
            { error: rejection },
            {
              ...pluginContext(task, args),
              ...result
            }
          );
          if (error && task.onError) {
            logger.info(`exitCode=%s handling with custom error handler`);
            return task.onError(
              result,
              error,
              (newStdOut) => {
                logger.info(`custom error handler treated as success`);
                logger(`custom error returned a %s`, objectToString(newStdOut));
                done(
                  new GitOutputStreams(
                    Array.isArray(newStdOut) ? Buffer.concat(newStdOut) : newStdOut,
                    Buffer.concat(stdErr)
                  )
                );
              },
              fail
            );
          }
          if (error) {
            logger.info(
              `handling as error: exitCode=%s stdErr=%s rejection=%o`,
              exitCode,
              stdErr.length,
              rejection
            );
            return fail(error);
          }
          logger.info(`retrieving task output complete`);
          done(new GitOutputStreams(Buffer.concat(stdOut), Buffer.concat(stdErr)));
        });
      }
      async gitResponse(task, command, args, outputHandler, logger) {
        const outputLogger = logger.sibling("output");
        const spawnOptions = this._plugins.exec(
          "spawn.options",
          {
            cwd: this.cwd,
            env: this.env,
            windowsHide: true
          },
          pluginContext(task, task.commands)
        );
        return new Promise((done) => {
          const stdOut = [];
          const stdErr = [];
          logger.info(`%s %o`, command, args);
          logger("%O", spawnOptions);
          let rejection = this._beforeSpawn(task, args);
          if (rejection) {
            return done({
              stdOut,
              stdErr,
              exitCode: 9901,
              rejection
            });
          }
          this._plugins.exec("spawn.before", void 0, {
            ...pluginContext(task, args),
            kill(reason) {
              rejection = reason || rejection;
            }
          });
          const spawned = spawn2(command, args, spawnOptions);
          spawned.stdout.on(
            "data",
            onDataReceived(stdOut, "stdOut", logger, outputLogger.step("stdOut"))
          );
          spawned.stderr.on(
            "data",
            onDataReceived(stdErr, "stdErr", logger, outputLogger.step("stdErr"))
          );
          spawned.on("error", onErrorReceived(stdErr, logger));
          if (outputHandler) {
            logger(`Passing child process stdOut/stdErr to custom outputHandler`);
            outputHandler(command, spawned.stdout, spawned.stderr, [...args]);
          }
          this._plugins.exec("spawn.after", void 0, {
            ...pluginContext(task, args),
            spawned,
            close(exitCode, reason) {
              done({
                stdOut,
                stdErr,
                exitCode,
                rejection: rejection || reason
              });
            },
            kill(reason) {
              if (spawned.killed) {
                return;
              }
              rejection = reason;
              spawned.kill("SIGINT");
            }
          });
        });
      }
      _beforeSpawn(task, args) {
        let rejection;
        this._plugins.exec("spawn.before", void 0, {
          ...pluginContext(task, args),
          kill(reason) {
            rejection = reason || rejection;
          }
        });
        return rejection;
      }
    };
  }
});
var git_executor_exports = {};
__export(git_executor_exports, {
  GitExecutor: () => GitExecutor
});
var GitExecutor;
var init_git_executor = __esm({
  "src/lib/runners/git-executor.ts"() {
    "use strict";
    init_git_executor_chain();
    GitExecutor = class {
      constructor(cwd, _scheduler, _plugins) {
        this.cwd = cwd;
        this._scheduler = _scheduler;
        this._plugins = _plugins;
        this._chain = new GitExecutorChain(this, this._scheduler, this._plugins);
      }
      chain() {
        return new GitExecutorChain(this, this._scheduler, this._plugins);
      }
      push(task) {
        return this._chain.push(task);
      }
    };
  }
});
function taskCallback(task, response, callback = NOOP) {
  const onSuccess = (data) => {
    callback(null, data);
  };
  const onError2 = (err) => {
    if (err?.task === task) {
      callback(
        err instanceof GitResponseError ? addDeprecationNoticeToError(err) : err,
        void 0
      );
    }
  };
  response.then(onSuccess, onError2);
}
function addDeprecationNoticeToError(err) {
  let log = (name) => {
    console.warn(
      `simple-git deprecation notice: accessing GitResponseError.${name} should be GitResponseError.git.${name}, this will no longer be available in version 3`
    );
    log = NOOP;
  };
  return Object.create(err, Object.getOwnPropertyNames(err.git).reduce(descriptorReducer, {}));
  function descriptorReducer(all, name) {
    if (name in err) {
      return all;
    }
    all[name] = {
      enumerable: false,
      configurable: false,
      get() {
        log(name);
        return err.git[name];
      }
    };
    return all;
  }
}
var init_task_callback = __esm({
  "src/lib/task-callback.ts"() {
    "use strict";
    init_git_response_error();
    init_utils();
  }
});
function changeWorkingDirectoryTask(directory, root) {
  return adhocExecTask((instance) => {
    if (!folderExists(directory)) {
      throw new Error(`Git.cwd: cannot change to non-directory "${directory}"`);
    }
    return (root || instance).cwd = directory;
  });
}
var init_change_working_directory = __esm({
  "src/lib/tasks/change-working-directory.ts"() {
    "use strict";
    init_utils();
    init_task();
  }
});
function checkoutTask(args) {
  const commands = ["checkout", ...args];
  if (commands[1] === "-b" && commands.includes("-B")) {
    commands[1] = remove(commands, "-B");
  }
  return straightThroughStringTask(commands);
}
function checkout_default() {
  return {
    checkout() {
      return this._runTask(
        checkoutTask(getTrailingOptions(arguments, 1)),
        trailingFunctionArgument(arguments)
      );
    },
    checkoutBranch(branchName, startPoint) {
      return this._runTask(
        checkoutTask(["-b", branchName, startPoint, ...getTrailingOptions(arguments)]),
        trailingFunctionArgument(arguments)
      );
    },
    checkoutLocalBranch(branchName) {
      return this._runTask(
        checkoutTask(["-b", branchName, ...getTrailingOptions(arguments)]),
        trailingFunctionArgument(arguments)
      );
    }
  };
}
var init_checkout = __esm({
  "src/lib/tasks/checkout.ts"() {
    "use strict";
    init_utils();
    init_task();
  }
});
function countObjectsResponse() {
  return {
    count: 0,
    garbage: 0,
    inPack: 0,
    packs: 0,
    prunePackable: 0,
    size: 0,
    sizeGarbage: 0,
    sizePack: 0
  };
}
function count_objects_default() {
  return {
    countObjects() {
      return this._runTask({
        commands: ["count-objects", "--verbose"],
        format: "utf-8",
        parser(stdOut) {
          return parseStringResponse(countObjectsResponse(), [parser2], stdOut);
        }
      });
    }
  };
}
var parser2;
var init_count_objects = __esm({
  "src/lib/tasks/count-objects.ts"() {
    "use strict";
    init_utils();
    parser2 = new LineParser(
      /([a-z-]+): (\d+)$/,
      (result, [key, value]) => {
        const property = asCamelCase(key);
        if (Object.hasOwn(result, property)) {
          result[property] = asNumber(value);
        }
      }
    );
  }
});
function parseCommitResult(stdOut) {
  const result = {
    author: null,
    branch: "",
    commit: "",
    root: false,
    summary: {
      changes: 0,
      insertions: 0,
      deletions: 0
    }
  };
  return parseStringResponse(result, parsers, stdOut);
}
var parsers;
var init_parse_commit = __esm({
  "src/lib/parsers/parse-commit.ts"() {
    "use strict";
    init_utils();
    parsers = [
      new LineParser(/^\[([^\s]+)( \([^)]+\))? ([^\]]+)/, (result, [branch, root, commit]) => {
        result.branch = branch;
        result.commit = commit;
        result.root = !!root;
      }),
      new LineParser(/\s*Author:\s(.+)/i, (result, [author]) => {
        const parts = author.split("<");
        const email = parts.pop();
        if (!email || !email.includes("@")) {
          return;
        }
        result.author = {
          email: email.substr(0, email.length - 1),
          name: parts.join("<").trim()
        };
      }),
      new LineParser(
        /(\d+)[^,]*(?:,\s*(\d+)[^,]*)(?:,\s*(\d+))/g,
        (result, [changes, insertions, deletions]) => {
          result.summary.changes = parseInt(changes, 10) || 0;
          result.summary.insertions = parseInt(insertions, 10) || 0;
          result.summary.deletions = parseInt(deletions, 10) || 0;
        }
      ),
      new LineParser(
        /^(\d+)[^,]*(?:,\s*(\d+)[^(]+\(([+-]))?/,
        (result, [changes, lines, direction]) => {
          result.summary.changes = parseInt(changes, 10) || 0;
          const count = parseInt(lines, 10) || 0;
          if (direction === "-") {
            result.summary.deletions = count;
          } else if (direction === "+") {
            result.summary.insertions = count;
          }
        }
      )
    ];
  }
});
function commitTask(message, files, customArgs) {
  const commands = [
    "-c",
    "core.abbrev=40",
    "commit",
    ...prefixedArray(message, "-m"),
    ...files,
    ...customArgs
  ];
  return {
    commands,
    format: "utf-8",
    parser: parseCommitResult
  };
}
function commit_default() {
  return {
    commit(message, ...rest) {
      const next = trailingFunctionArgument(arguments);
      const task = rejectDeprecatedSignatures(message) || commitTask(
        asArray(message),
        asArray(filterType(rest[0], filterStringOrStringArray, [])),
        [
          ...asStringArray(filterType(rest[1], filterArray, [])),
          ...getTrailingOptions(arguments, 0, true)
        ]
      );
      return this._runTask(task, next);
    }
  };
  function rejectDeprecatedSignatures(message) {
    return !filterStringOrStringArray(message) && configurationErrorTask(
      `git.commit: requires the commit message to be supplied as a string/string[]`
    );
  }
}
var init_commit = __esm({
  "src/lib/tasks/commit.ts"() {
    "use strict";
    init_parse_commit();
    init_utils();
    init_task();
  }
});
function first_commit_default() {
  return {
    firstCommit() {
      return this._runTask(
        straightThroughStringTask(["rev-list", "--max-parents=0", "HEAD"], true),
        trailingFunctionArgument(arguments)
      );
    }
  };
}
var init_first_commit = __esm({
  "src/lib/tasks/first-commit.ts"() {
    "use strict";
    init_utils();
    init_task();
  }
});
function hashObjectTask(filePath, write) {
  const commands = ["hash-object", filePath];
  if (write) {
    commands.push("-w");
  }
  return straightThroughStringTask(commands, true);
}
var init_hash_object = __esm({
  "src/lib/tasks/hash-object.ts"() {
    "use strict";
    init_task();
  }
});
function parseInit(bare, path, text) {
  const response = String(text).trim();
  let result;
  if (result = initResponseRegex.exec(response)) {
    return new InitSummary(bare, path, false, result[1]);
  }
  if (result = reInitResponseRegex.exec(response)) {
    return new InitSummary(bare, path, true, result[1]);
  }
  let gitDir = "";
  const tokens = response.split(" ");
  while (tokens.length) {
    const token = tokens.shift();
    if (token === "in") {
      gitDir = tokens.join(" ");
      break;
    }
  }
  return new InitSummary(bare, path, /^re/i.test(response), gitDir);
}
var InitSummary;
var initResponseRegex;
var reInitResponseRegex;
var init_InitSummary = __esm({
  "src/lib/responses/InitSummary.ts"() {
    "use strict";
    InitSummary = class {
      constructor(bare, path, existing, gitDir) {
        this.bare = bare;
        this.path = path;
        this.existing = existing;
        this.gitDir = gitDir;
      }
    };
    initResponseRegex = /^Init.+ repository in (.+)$/;
    reInitResponseRegex = /^Rein.+ in (.+)$/;
  }
});
function hasBareCommand(command) {
  return command.includes(bareCommand);
}
function initTask(bare = false, path, customArgs) {
  const commands = ["init", ...customArgs];
  if (bare && !hasBareCommand(commands)) {
    commands.splice(1, 0, bareCommand);
  }
  return {
    commands,
    format: "utf-8",
    parser(text) {
      return parseInit(commands.includes("--bare"), path, text);
    }
  };
}
var bareCommand;
var init_init = __esm({
  "src/lib/tasks/init.ts"() {
    "use strict";
    init_InitSummary();
    bareCommand = "--bare";
  }
});
function logFormatFromCommand(customArgs) {
  for (let i2 = 0; i2 < customArgs.length; i2++) {
    const format = logFormatRegex.exec(customArgs[i2]);
    if (format) {
      return `--${format[1]}`;
    }
  }
  return "";
}
function isLogFormat(customArg) {
  return logFormatRegex.test(customArg);
}
var logFormatRegex;
var init_log_format = __esm({
  "src/lib/args/log-format.ts"() {
    "use strict";
    logFormatRegex = /^--(stat|numstat|name-only|name-status)(=|$)/;
  }
});
var DiffSummary;
var init_DiffSummary = __esm({
  "src/lib/responses/DiffSummary.ts"() {
    "use strict";
    DiffSummary = class {
      constructor() {
        this.changed = 0;
        this.deletions = 0;
        this.insertions = 0;
        this.files = [];
      }
    };
  }
});
function getDiffParser(format = "") {
  const parser4 = diffSummaryParsers[format];
  return (stdOut) => parseStringResponse(new DiffSummary(), parser4, stdOut, false);
}
var statParser;
var numStatParser;
var nameOnlyParser;
var nameStatusParser;
var diffSummaryParsers;
var init_parse_diff_summary = __esm({
  "src/lib/parsers/parse-diff-summary.ts"() {
    "use strict";
    init_log_format();
    init_DiffSummary();
    init_diff_name_status();
    init_utils();
    statParser = [
      new LineParser(
        /^(.+)\s+\|\s+(\d+)(\s+[+\-]+)?$/,
        (result, [file, changes, alterations = ""]) => {
          result.files.push({
            file: file.trim(),
            changes: asNumber(changes),
            insertions: alterations.replace(/[^+]/g, "").length,
            deletions: alterations.replace(/[^-]/g, "").length,
            binary: false
          });
        }
      ),
      new LineParser(
        /^(.+) \|\s+Bin ([0-9.]+) -> ([0-9.]+) ([a-z]+)/,
        (result, [file, before, after]) => {
          result.files.push({
            file: file.trim(),
            before: asNumber(before),
            after: asNumber(after),
            binary: true
          });
        }
      ),
      new LineParser(
        /(\d+) files? changed\s*((?:, \d+ [^,]+){0,2})/,
        (result, [changed, summary]) => {
          const inserted = /(\d+) i/.exec(summary);
          const deleted = /(\d+) d/.exec(summary);
          result.changed = asNumber(changed);
          result.insertions = asNumber(inserted?.[1]);
          result.deletions = asNumber(deleted?.[1]);
        }
      )
    ];
    numStatParser = [
      new LineParser(
        /(\d+)\t(\d+)\t(.+)$/,
        (result, [changesInsert, changesDelete, file]) => {
          const insertions = asNumber(changesInsert);
          const deletions = asNumber(changesDelete);
          result.changed++;
          result.insertions += insertions;
          result.deletions += deletions;
          result.files.push({
            file,
            changes: insertions + deletions,
            insertions,
            deletions,
            binary: false
          });
        }
      ),
      new LineParser(/-\t-\t(.+)$/, (result, [file]) => {
        result.changed++;
        result.files.push({
          file,
          after: 0,
          before: 0,
          binary: true
        });
      })
    ];
    nameOnlyParser = [
      new LineParser(/(.+)$/, (result, [file]) => {
        result.changed++;
        result.files.push({
          file,
          changes: 0,
          insertions: 0,
          deletions: 0,
          binary: false
        });
      })
    ];
    nameStatusParser = [
      new LineParser(
        /([ACDMRTUXB])([0-9]{0,3})\t(.[^\t]*)(\t(.[^\t]*))?$/,
        (result, [status, similarity, from, _to, to]) => {
          result.changed++;
          result.files.push({
            file: to ?? from,
            changes: 0,
            insertions: 0,
            deletions: 0,
            binary: false,
            status: orVoid(isDiffNameStatus(status) && status),
            from: orVoid(!!to && from !== to && from),
            similarity: asNumber(similarity)
          });
        }
      )
    ];
    diffSummaryParsers = {
      [
        ""
        /* NONE */
      ]: statParser,
      [
        "--stat"
        /* STAT */
      ]: statParser,
      [
        "--numstat"
        /* NUM_STAT */
      ]: numStatParser,
      [
        "--name-status"
        /* NAME_STATUS */
      ]: nameStatusParser,
      [
        "--name-only"
        /* NAME_ONLY */
      ]: nameOnlyParser
    };
  }
});
function lineBuilder(tokens, fields) {
  return fields.reduce(
    (line, field, index) => {
      line[field] = tokens[index] || "";
      return line;
    },
    /* @__PURE__ */ Object.create({ diff: null })
  );
}
function createListLogSummaryParser(splitter = SPLITTER, fields = defaultFieldNames, logFormat = "") {
  const parseDiffResult = getDiffParser(logFormat);
  return function(stdOut) {
    const all = toLinesWithContent(
      stdOut.trim(),
      false,
      START_BOUNDARY
    ).map(function(item) {
      const lineDetail = item.split(COMMIT_BOUNDARY);
      const listLogLine = lineBuilder(lineDetail[0].split(splitter), fields);
      if (lineDetail.length > 1 && !!lineDetail[1].trim()) {
        listLogLine.diff = parseDiffResult(lineDetail[1]);
      }
      return listLogLine;
    });
    return {
      all,
      latest: all.length && all[0] || null,
      total: all.length
    };
  };
}
var START_BOUNDARY;
var COMMIT_BOUNDARY;
var SPLITTER;
var defaultFieldNames;
var init_parse_list_log_summary = __esm({
  "src/lib/parsers/parse-list-log-summary.ts"() {
    "use strict";
    init_utils();
    init_parse_diff_summary();
    init_log_format();
    START_BOUNDARY = "\xF2\xF2\xF2\xF2\xF2\xF2 ";
    COMMIT_BOUNDARY = " \xF2\xF2";
    SPLITTER = " \xF2 ";
    defaultFieldNames = ["hash", "date", "message", "refs", "author_name", "author_email"];
  }
});
var diff_exports = {};
__export(diff_exports, {
  diffSummaryTask: () => diffSummaryTask,
  validateLogFormatConfig: () => validateLogFormatConfig
});
function diffSummaryTask(customArgs) {
  let logFormat = logFormatFromCommand(customArgs);
  const commands = ["diff"];
  if (logFormat === "") {
    logFormat = "--stat";
    commands.push("--stat=4096");
  }
  commands.push(...customArgs);
  return validateLogFormatConfig(commands) || {
    commands,
    format: "utf-8",
    parser: getDiffParser(logFormat)
  };
}
function validateLogFormatConfig(customArgs) {
  const flags = customArgs.filter(isLogFormat);
  if (flags.length > 1) {
    return configurationErrorTask(
      `Summary flags are mutually exclusive - pick one of ${flags.join(",")}`
    );
  }
  if (flags.length && customArgs.includes("-z")) {
    return configurationErrorTask(
      `Summary flag ${flags} parsing is not compatible with null termination option '-z'`
    );
  }
}
var init_diff = __esm({
  "src/lib/tasks/diff.ts"() {
    "use strict";
    init_log_format();
    init_parse_diff_summary();
    init_task();
  }
});
function prettyFormat(format, splitter) {
  const fields = [];
  const formatStr = [];
  Object.keys(format).forEach((field) => {
    fields.push(field);
    formatStr.push(String(format[field]));
  });
  return [fields, formatStr.join(splitter)];
}
function userOptions(input) {
  return Object.keys(input).reduce((out, key) => {
    if (!(key in excludeOptions)) {
      out[key] = input[key];
    }
    return out;
  }, {});
}
function parseLogOptions(opt = {}, customArgs = []) {
  const splitter = filterType(opt.splitter, filterString, SPLITTER);
  const format = filterPlainObject(opt.format) ? opt.format : {
    hash: "%H",
    date: opt.strictDate === false ? "%ai" : "%aI",
    message: "%s",
    refs: "%D",
    body: opt.multiLine ? "%B" : "%b",
    author_name: opt.mailMap !== false ? "%aN" : "%an",
    author_email: opt.mailMap !== false ? "%aE" : "%ae"
  };
  const [fields, formatStr] = prettyFormat(format, splitter);
  const suffix = [];
  const command = [
    `--pretty=format:${START_BOUNDARY}${formatStr}${COMMIT_BOUNDARY}`,
    ...customArgs
  ];
  const maxCount = opt.n || opt["max-count"] || opt.maxCount;
  if (maxCount) {
    command.push(`--max-count=${maxCount}`);
  }
  if (opt.from || opt.to) {
    const rangeOperator = opt.symmetric !== false ? "..." : "..";
    suffix.push(`${opt.from || ""}${rangeOperator}${opt.to || ""}`);
  }
  if (filterString(opt.file)) {
    command.push("--follow", c(opt.file));
  }
  appendTaskOptions(userOptions(opt), command);
  return {
    fields,
    splitter,
    commands: [...command, ...suffix]
  };
}
function logTask(splitter, fields, customArgs) {
  const parser4 = createListLogSummaryParser(splitter, fields, logFormatFromCommand(customArgs));
  return {
    commands: ["log", ...customArgs],
    format: "utf-8",
    parser: parser4
  };
}
function log_default() {
  return {
    log(...rest) {
      const next = trailingFunctionArgument(arguments);
      const options = parseLogOptions(
        trailingOptionsArgument(arguments),
        asStringArray(filterType(arguments[0], filterArray, []))
      );
      const task = rejectDeprecatedSignatures(...rest) || validateLogFormatConfig(options.commands) || createLogTask(options);
      return this._runTask(task, next);
    }
  };
  function createLogTask(options) {
    return logTask(options.splitter, options.fields, options.commands);
  }
  function rejectDeprecatedSignatures(from, to) {
    return filterString(from) && filterString(to) && configurationErrorTask(
      `git.log(string, string) should be replaced with git.log({ from: string, to: string })`
    );
  }
}
var excludeOptions;
var init_log = __esm({
  "src/lib/tasks/log.ts"() {
    "use strict";
    init_log_format();
    init_parse_list_log_summary();
    init_utils();
    init_task();
    init_diff();
    excludeOptions = /* @__PURE__ */ ((excludeOptions2) => {
      excludeOptions2[excludeOptions2["--pretty"] = 0] = "--pretty";
      excludeOptions2[excludeOptions2["max-count"] = 1] = "max-count";
      excludeOptions2[excludeOptions2["maxCount"] = 2] = "maxCount";
      excludeOptions2[excludeOptions2["n"] = 3] = "n";
      excludeOptions2[excludeOptions2["file"] = 4] = "file";
      excludeOptions2[excludeOptions2["format"] = 5] = "format";
      excludeOptions2[excludeOptions2["from"] = 6] = "from";
      excludeOptions2[excludeOptions2["to"] = 7] = "to";
      excludeOptions2[excludeOptions2["splitter"] = 8] = "splitter";
      excludeOptions2[excludeOptions2["symmetric"] = 9] = "symmetric";
      excludeOptions2[excludeOptions2["mailMap"] = 10] = "mailMap";
      excludeOptions2[excludeOptions2["multiLine"] = 11] = "multiLine";
      excludeOptions2[excludeOptions2["strictDate"] = 12] = "strictDate";
      return excludeOptions2;
    })(excludeOptions || {});
  }
});
var MergeSummaryConflict;
var MergeSummaryDetail;
var init_MergeSummary = __esm({
  "src/lib/responses/MergeSummary.ts"() {
    "use strict";
    MergeSummaryConflict = class {
      constructor(reason, file = null, meta) {
        this.reason = reason;
        this.file = file;
        this.meta = meta;
      }
      toString() {
        return `${this.file}:${this.reason}`;
      }
    };
    MergeSummaryDetail = class {
      constructor() {
        this.conflicts = [];
        this.merges = [];
        this.result = "success";
      }
      get failed() {
        return this.conflicts.length > 0;
      }
      get reason() {
        return this.result;
      }
      toString() {
        if (this.conflicts.length) {
          return `CONFLICTS: ${this.conflicts.join(", ")}`;
        }
        return "OK";
      }
    };
  }
});
var PullSummary;
var PullFailedSummary;
var init_PullSummary = __esm({
  "src/lib/responses/PullSummary.ts"() {
    "use strict";
    PullSummary = class {
      constructor() {
        this.remoteMessages = {
          all: []
        };
        this.created = [];
        this.deleted = [];
        this.files = [];
        this.deletions = {};
        this.insertions = {};
        this.summary = {
          changes: 0,
          deletions: 0,
          insertions: 0
        };
      }
    };
    PullFailedSummary = class {
      constructor() {
        this.remote = "";
        this.hash = {
          local: "",
          remote: ""
        };
        this.branch = {
          local: "",
          remote: ""
        };
        this.message = "";
      }
      toString() {
        return this.message;
      }
    };
  }
});
function objectEnumerationResult(remoteMessages) {
  return remoteMessages.objects = remoteMessages.objects || {
    compressing: 0,
    counting: 0,
    enumerating: 0,
    packReused: 0,
    reused: { count: 0, delta: 0 },
    total: { count: 0, delta: 0 }
  };
}
function asObjectCount(source) {
  const count = /^\s*(\d+)/.exec(source);
  const delta = /delta (\d+)/i.exec(source);
  return {
    count: asNumber(count && count[1] || "0"),
    delta: asNumber(delta && delta[1] || "0")
  };
}
var remoteMessagesObjectParsers;
var init_parse_remote_objects = __esm({
  "src/lib/parsers/parse-remote-objects.ts"() {
    "use strict";
    init_utils();
    remoteMessagesObjectParsers = [
      new RemoteLineParser(
        /^remote:\s*(enumerating|counting|compressing) objects: (\d+),/i,
        (result, [action, count]) => {
          const key = action.toLowerCase();
          const enumeration = objectEnumerationResult(result.remoteMessages);
          Object.assign(enumeration, { [key]: asNumber(count) });
        }
      ),
      new RemoteLineParser(
        /^remote:\s*(enumerating|counting|compressing) objects: \d+% \(\d+\/(\d+)\),/i,
        (result, [action, count]) => {
          const key = action.toLowerCase();
          const enumeration = objectEnumerationResult(result.remoteMessages);
          Object.assign(enumeration, { [key]: asNumber(count) });
        }
      ),
      new RemoteLineParser(
        /total ([^,]+), reused ([^,]+), pack-reused (\d+)/i,
        (result, [total, reused, packReused]) => {
          const objects = objectEnumerationResult(result.remoteMessages);
          objects.total = asObjectCount(total);
          objects.reused = asObjectCount(reused);
          objects.packReused = asNumber(packReused);
        }
      )
    ];
  }
});
function parseRemoteMessages(_stdOut, stdErr) {
  return parseStringResponse({ remoteMessages: new RemoteMessageSummary() }, parsers2, stdErr);
}
var parsers2;
var RemoteMessageSummary;
var init_parse_remote_messages = __esm({
  "src/lib/parsers/parse-remote-messages.ts"() {
    "use strict";
    init_utils();
    init_parse_remote_objects();
    parsers2 = [
      new RemoteLineParser(/^remote:\s*(.+)$/, (result, [text]) => {
        result.remoteMessages.all.push(text.trim());
        return false;
      }),
      ...remoteMessagesObjectParsers,
      new RemoteLineParser(
        [/create a (?:pull|merge) request/i, /\s(https?:\/\/\S+)$/],
        (result, [pullRequestUrl]) => {
          result.remoteMessages.pullRequestUrl = pullRequestUrl;
        }
      ),
      new RemoteLineParser(
        [/found (\d+) vulnerabilities.+\(([^)]+)\)/i, /\s(https?:\/\/\S+)$/],
        (result, [count, summary, url]) => {
          result.remoteMessages.vulnerabilities = {
            count: asNumber(count),
            summary,
            url
          };
        }
      )
    ];
    RemoteMessageSummary = class {
      constructor() {
        this.all = [];
      }
    };
  }
});
function parsePullErrorResult(stdOut, stdErr) {
  const pullError = parseStringResponse(new PullFailedSummary(), errorParsers, [stdOut, stdErr]);
  return pullError.message && pullError;
}
var FILE_UPDATE_REGEX;
var SUMMARY_REGEX;
var ACTION_REGEX;
var parsers3;
var errorParsers;
var parsePullDetail;
var parsePullResult;
var init_parse_pull = __esm({
  "src/lib/parsers/parse-pull.ts"() {
    "use strict";
    init_PullSummary();
    init_utils();
    init_parse_remote_messages();
    FILE_UPDATE_REGEX = /^\s*(.+?)\s+\|\s+\d+\s*(\+*)(-*)/;
    SUMMARY_REGEX = /(\d+)\D+((\d+)\D+\(\+\))?(\D+(\d+)\D+\(-\))?/;
    ACTION_REGEX = /^(create|delete) mode \d+ (.+)/;
    parsers3 = [
      new LineParser(FILE_UPDATE_REGEX, (result, [file, insertions, deletions]) => {
        result.files.push(file);
        if (insertions) {
          result.insertions[file] = insertions.length;
        }
        if (deletions) {
          result.deletions[file] = deletions.length;
        }
      }),
      new LineParser(SUMMARY_REGEX, (result, [changes, , insertions, , deletions]) => {
        if (insertions !== void 0 || deletions !== void 0) {
          result.summary.changes = +changes || 0;
          result.summary.insertions = +insertions || 0;
          result.summary.deletions = +deletions || 0;
          return true;
        }
        return false;
      }),
      new LineParser(ACTION_REGEX, (result, [action, file]) => {
        append(result.files, file);
        append(action === "create" ? result.created : result.deleted, file);
      })
    ];
    errorParsers = [
      new LineParser(/^from\s(.+)$/i, (result, [remote]) => void (result.remote = remote)),
      new LineParser(/^fatal:\s(.+)$/, (result, [message]) => void (result.message = message)),
      new LineParser(
        /([a-z0-9]+)\.\.([a-z0-9]+)\s+(\S+)\s+->\s+(\S+)$/,
        (result, [hashLocal, hashRemote, branchLocal, branchRemote]) => {
          result.branch.local = branchLocal;
          result.hash.local = hashLocal;
          result.branch.remote = branchRemote;
          result.hash.remote = hashRemote;
        }
      )
    ];
    parsePullDetail = (stdOut, stdErr) => {
      return parseStringResponse(new PullSummary(), parsers3, [stdOut, stdErr]);
    };
    parsePullResult = (stdOut, stdErr) => {
      return Object.assign(
        new PullSummary(),
        parsePullDetail(stdOut, stdErr),
        parseRemoteMessages(stdOut, stdErr)
      );
    };
  }
});
var parsers4;
var parseMergeResult;
var parseMergeDetail;
var init_parse_merge = __esm({
  "src/lib/parsers/parse-merge.ts"() {
    "use strict";
    init_MergeSummary();
    init_utils();
    init_parse_pull();
    parsers4 = [
      new LineParser(/^Auto-merging\s+(.+)$/, (summary, [autoMerge]) => {
        summary.merges.push(autoMerge);
      }),
      new LineParser(/^CONFLICT\s+\((.+)\): Merge conflict in (.+)$/, (summary, [reason, file]) => {
        summary.conflicts.push(new MergeSummaryConflict(reason, file));
      }),
      new LineParser(
        /^CONFLICT\s+\((.+\/delete)\): (.+) deleted in (.+) and/,
        (summary, [reason, file, deleteRef]) => {
          summary.conflicts.push(new MergeSummaryConflict(reason, file, { deleteRef }));
        }
      ),
      new LineParser(/^CONFLICT\s+\((.+)\):/, (summary, [reason]) => {
        summary.conflicts.push(new MergeSummaryConflict(reason, null));
      }),
      new LineParser(/^Automatic merge failed;\s+(.+)$/, (summary, [result]) => {
        summary.result = result;
      })
    ];
    parseMergeResult = (stdOut, stdErr) => {
      return Object.assign(parseMergeDetail(stdOut, stdErr), parsePullResult(stdOut, stdErr));
    };
    parseMergeDetail = (stdOut) => {
      return parseStringResponse(new MergeSummaryDetail(), parsers4, stdOut);
    };
  }
});
function mergeTask(customArgs) {
  if (!customArgs.length) {
    return configurationErrorTask("Git.merge requires at least one option");
  }
  return {
    commands: ["merge", ...customArgs],
    format: "utf-8",
    parser(stdOut, stdErr) {
      const merge = parseMergeResult(stdOut, stdErr);
      if (merge.failed) {
        throw new GitResponseError(merge);
      }
      return merge;
    }
  };
}
var init_merge = __esm({
  "src/lib/tasks/merge.ts"() {
    "use strict";
    init_git_response_error();
    init_parse_merge();
    init_task();
  }
});
function pushResultPushedItem(local, remote, status) {
  const deleted = status.includes("deleted");
  const tag = status.includes("tag") || /^refs\/tags/.test(local);
  const alreadyUpdated = !status.includes("new");
  return {
    deleted,
    tag,
    branch: !tag,
    new: !alreadyUpdated,
    alreadyUpdated,
    local,
    remote
  };
}
var parsers5;
var parsePushResult;
var parsePushDetail;
var init_parse_push = __esm({
  "src/lib/parsers/parse-push.ts"() {
    "use strict";
    init_utils();
    init_parse_remote_messages();
    parsers5 = [
      new LineParser(/^Pushing to (.+)$/, (result, [repo]) => {
        result.repo = repo;
      }),
      new LineParser(/^updating local tracking ref '(.+)'/, (result, [local]) => {
        result.ref = {
          ...result.ref || {},
          local
        };
      }),
      new LineParser(/^[=*-]\s+([^:]+):(\S+)\s+\[(.+)]$/, (result, [local, remote, type]) => {
        result.pushed.push(pushResultPushedItem(local, remote, type));
      }),
      new LineParser(
        /^Branch '([^']+)' set up to track remote branch '([^']+)' from '([^']+)'/,
        (result, [local, remote, remoteName]) => {
          result.branch = {
            ...result.branch || {},
            local,
            remote,
            remoteName
          };
        }
      ),
      new LineParser(
        /^([^:]+):(\S+)\s+([a-z0-9]+)\.\.([a-z0-9]+)$/,
        (result, [local, remote, from, to]) => {
          result.update = {
            head: {
              local,
              remote
            },
            hash: {
              from,
              to
            }
          };
        }
      )
    ];
    parsePushResult = (stdOut, stdErr) => {
      const pushDetail = parsePushDetail(stdOut, stdErr);
      const responseDetail = parseRemoteMessages(stdOut, stdErr);
      return {
        ...pushDetail,
        ...responseDetail
      };
    };
    parsePushDetail = (stdOut, stdErr) => {
      return parseStringResponse({ pushed: [] }, parsers5, [stdOut, stdErr]);
    };
  }
});
var push_exports = {};
__export(push_exports, {
  pushTagsTask: () => pushTagsTask,
  pushTask: () => pushTask
});
function pushTagsTask(ref = {}, customArgs) {
  append(customArgs, "--tags");
  return pushTask(ref, customArgs);
}
function pushTask(ref = {}, customArgs) {
  const commands = ["push", ...customArgs];
  if (ref.branch) {
    commands.splice(1, 0, ref.branch);
  }
  if (ref.remote) {
    commands.splice(1, 0, ref.remote);
  }
  remove(commands, "-v");
  append(commands, "--verbose");
  append(commands, "--porcelain");
  return {
    commands,
    format: "utf-8",
    parser: parsePushResult
  };
}
var init_push = __esm({
  "src/lib/tasks/push.ts"() {
    "use strict";
    init_parse_push();
    init_utils();
  }
});
function show_default() {
  return {
    showBuffer() {
      const commands = ["show", ...getTrailingOptions(arguments, 1)];
      if (!commands.includes("--binary")) {
        commands.splice(1, 0, "--binary");
      }
      return this._runTask(
        straightThroughBufferTask(commands),
        trailingFunctionArgument(arguments)
      );
    },
    show() {
      const commands = ["show", ...getTrailingOptions(arguments, 1)];
      return this._runTask(
        straightThroughStringTask(commands),
        trailingFunctionArgument(arguments)
      );
    }
  };
}
var init_show = __esm({
  "src/lib/tasks/show.ts"() {
    "use strict";
    init_utils();
    init_task();
  }
});
var fromPathRegex;
var FileStatusSummary;
var init_FileStatusSummary = __esm({
  "src/lib/responses/FileStatusSummary.ts"() {
    "use strict";
    fromPathRegex = /^(.+)\0(.+)$/;
    FileStatusSummary = class {
      constructor(path, index, working_dir) {
        this.path = path;
        this.index = index;
        this.working_dir = working_dir;
        if (index === "R" || working_dir === "R") {
          const detail = fromPathRegex.exec(path) || [null, path, path];
          this.from = detail[2] || "";
          this.path = detail[1] || "";
        }
      }
    };
  }
});
function renamedFile(line) {
  const [to, from] = line.split(NULL);
  return {
    from: from || to,
    to
  };
}
function parser3(indexX, indexY, handler) {
  return [`${indexX}${indexY}`, handler];
}
function conflicts(indexX, ...indexY) {
  return indexY.map((y) => parser3(indexX, y, (result, file) => result.conflicted.push(file)));
}
function splitLine(result, lineStr) {
  const trimmed2 = lineStr.trim();
  switch (" ") {
    case trimmed2.charAt(2):
      return data(trimmed2.charAt(0), trimmed2.charAt(1), trimmed2.slice(3));
    case trimmed2.charAt(1):
      return data(" ", trimmed2.charAt(0), trimmed2.slice(2));
    default:
      return;
  }
  function data(index, workingDir, path) {
    const raw = `${index}${workingDir}`;
    const handler = parsers6.get(raw);
    if (handler) {
      handler(result, path);
    }
    if (raw !== "##" && raw !== "!!") {
      result.files.push(new FileStatusSummary(path, index, workingDir));
    }
  }
}
var StatusSummary;
var parsers6;
var parseStatusSummary;
var init_StatusSummary = __esm({
  "src/lib/responses/StatusSummary.ts"() {
    "use strict";
    init_utils();
    init_FileStatusSummary();
    StatusSummary = class {
      constructor() {
        this.not_added = [];
        this.conflicted = [];
        this.created = [];
        this.deleted = [];
        this.ignored = void 0;
        this.modified = [];
        this.renamed = [];
        this.files = [];
        this.staged = [];
        this.ahead = 0;
        this.behind = 0;
        this.current = null;
        this.tracking = null;
        this.detached = false;
        this.isClean = () => {
          return !this.files.length;
        };
      }
    };
    parsers6 = new Map([
      parser3(
        " ",
        "A",
        (result, file) => result.created.push(file)
      ),
      parser3(
        " ",
        "D",
        (result, file) => result.deleted.push(file)
      ),
      parser3(
        " ",
        "M",
        (result, file) => result.modified.push(file)
      ),
      parser3("A", " ", (result, file) => {
        result.created.push(file);
        result.staged.push(file);
      }),
      parser3("A", "M", (result, file) => {
        result.created.push(file);
        result.staged.push(file);
        result.modified.push(file);
      }),
      parser3("D", " ", (result, file) => {
        result.deleted.push(file);
        result.staged.push(file);
      }),
      parser3("M", " ", (result, file) => {
        result.modified.push(file);
        result.staged.push(file);
      }),
      parser3("M", "M", (result, file) => {
        result.modified.push(file);
        result.staged.push(file);
      }),
      parser3("R", " ", (result, file) => {
        result.renamed.push(renamedFile(file));
      }),
      parser3("R", "M", (result, file) => {
        const renamed = renamedFile(file);
        result.renamed.push(renamed);
        result.modified.push(renamed.to);
      }),
      parser3("!", "!", (_result, _file) => {
        (_result.ignored = _result.ignored || []).push(_file);
      }),
      parser3(
        "?",
        "?",
        (result, file) => result.not_added.push(file)
      ),
      ...conflicts(
        "A",
        "A",
        "U"
        /* UNMERGED */
      ),
      ...conflicts(
        "D",
        "D",
        "U"
        /* UNMERGED */
      ),
      ...conflicts(
        "U",
        "A",
        "D",
        "U"
        /* UNMERGED */
      ),
      [
        "##",
        (result, line) => {
          const aheadReg = /ahead (\d+)/;
          const behindReg = /behind (\d+)/;
          const currentReg = /^(.+?(?=(?:\.{3}|\s|$)))/;
          const trackingReg = /\.{3}(\S*)/;
          const onEmptyBranchReg = /\son\s(\S+?)(?=\.{3}|$)/;
          let regexResult = aheadReg.exec(line);
          result.ahead = regexResult && +regexResult[1] || 0;
          regexResult = behindReg.exec(line);
          result.behind = regexResult && +regexResult[1] || 0;
          regexResult = currentReg.exec(line);
          result.current = filterType(regexResult?.[1], filterString, null);
          regexResult = trackingReg.exec(line);
          result.tracking = filterType(regexResult?.[1], filterString, null);
          regexResult = onEmptyBranchReg.exec(line);
          if (regexResult) {
            result.current = filterType(regexResult?.[1], filterString, result.current);
          }
          result.detached = /\(no branch\)/.test(line);
        }
      ]
    ]);
    parseStatusSummary = function(text) {
      const lines = text.split(NULL);
      const status = new StatusSummary();
      for (let i2 = 0, l = lines.length; i2 < l; ) {
        let line = lines[i2++].trim();
        if (!line) {
          continue;
        }
        if (line.charAt(0) === "R") {
          line += NULL + (lines[i2++] || "");
        }
        splitLine(status, line);
      }
      return status;
    };
  }
});
function statusTask(customArgs) {
  const commands = [
    "status",
    "--porcelain",
    "-b",
    "-u",
    "--null",
    ...customArgs.filter((arg) => !ignoredOptions.includes(arg))
  ];
  return {
    format: "utf-8",
    commands,
    parser(text) {
      return parseStatusSummary(text);
    }
  };
}
var ignoredOptions;
var init_status = __esm({
  "src/lib/tasks/status.ts"() {
    "use strict";
    init_StatusSummary();
    ignoredOptions = ["--null", "-z"];
  }
});
function versionResponse(major = 0, minor = 0, patch = 0, agent = "", installed = true) {
  return Object.defineProperty(
    {
      major,
      minor,
      patch,
      agent,
      installed
    },
    "toString",
    {
      value() {
        return `${this.major}.${this.minor}.${this.patch}`;
      },
      configurable: false,
      enumerable: false
    }
  );
}
function notInstalledResponse() {
  return versionResponse(0, 0, 0, "", false);
}
function version_default() {
  return {
    version() {
      return this._runTask({
        commands: ["--version"],
        format: "utf-8",
        parser: versionParser,
        onError(result, error, done, fail) {
          if (result.exitCode === -2) {
            return done(Buffer.from(NOT_INSTALLED));
          }
          fail(error);
        }
      });
    }
  };
}
function versionParser(stdOut) {
  if (stdOut === NOT_INSTALLED) {
    return notInstalledResponse();
  }
  return parseStringResponse(versionResponse(0, 0, 0, stdOut), parsers7, stdOut);
}
var NOT_INSTALLED;
var parsers7;
var init_version = __esm({
  "src/lib/tasks/version.ts"() {
    "use strict";
    init_utils();
    NOT_INSTALLED = "installed=false";
    parsers7 = [
      new LineParser(
        /version (\d+)\.(\d+)\.(\d+)(?:\s*\((.+)\))?/,
        (result, [major, minor, patch, agent = ""]) => {
          Object.assign(
            result,
            versionResponse(asNumber(major), asNumber(minor), asNumber(patch), agent)
          );
        }
      ),
      new LineParser(
        /version (\d+)\.(\d+)\.(\D+)(.+)?$/,
        (result, [major, minor, patch, agent = ""]) => {
          Object.assign(result, versionResponse(asNumber(major), asNumber(minor), patch, agent));
        }
      )
    ];
  }
});
function createCloneTask(api, task, repoPath, ...args) {
  if (!filterString(repoPath)) {
    return configurationErrorTask(`git.${api}() requires a string 'repoPath'`);
  }
  return task(repoPath, filterType(args[0], filterString), getTrailingOptions(arguments));
}
function clone_default() {
  return {
    clone(repo, ...rest) {
      return this._runTask(
        createCloneTask("clone", cloneTask, filterType(repo, filterString), ...rest),
        trailingFunctionArgument(arguments)
      );
    },
    mirror(repo, ...rest) {
      return this._runTask(
        createCloneTask("mirror", cloneMirrorTask, filterType(repo, filterString), ...rest),
        trailingFunctionArgument(arguments)
      );
    }
  };
}
var cloneTask;
var cloneMirrorTask;
var init_clone = __esm({
  "src/lib/tasks/clone.ts"() {
    "use strict";
    init_task();
    init_utils();
    cloneTask = (repo, directory, customArgs) => {
      const commands = ["clone", ...customArgs];
      filterString(repo) && commands.push(c(repo));
      filterString(directory) && commands.push(c(directory));
      return straightThroughStringTask(commands);
    };
    cloneMirrorTask = (repo, directory, customArgs) => {
      append(customArgs, "--mirror");
      return cloneTask(repo, directory, customArgs);
    };
  }
});
var simple_git_api_exports = {};
__export(simple_git_api_exports, {
  SimpleGitApi: () => SimpleGitApi
});
var SimpleGitApi;
var init_simple_git_api = __esm({
  "src/lib/simple-git-api.ts"() {
    "use strict";
    init_task_callback();
    init_change_working_directory();
    init_checkout();
    init_count_objects();
    init_commit();
    init_config();
    init_first_commit();
    init_grep();
    init_hash_object();
    init_init();
    init_log();
    init_merge();
    init_push();
    init_show();
    init_status();
    init_task();
    init_version();
    init_utils();
    init_clone();
    SimpleGitApi = class {
      constructor(_executor) {
        this._executor = _executor;
      }
      _runTask(task, then) {
        const chain = this._executor.chain();
        const promise = chain.push(task);
        if (then) {
          taskCallback(task, promise, then);
        }
        return Object.create(this, {
          then: { value: promise.then.bind(promise) },
          catch: { value: promise.catch.bind(promise) },
          _executor: { value: chain }
        });
      }
      add(files) {
        return this._runTask(
          straightThroughStringTask(["add", ...asArray(files)]),
          trailingFunctionArgument(arguments)
        );
      }
      cwd(directory) {
        const next = trailingFunctionArgument(arguments);
        if (typeof directory === "string") {
          return this._runTask(changeWorkingDirectoryTask(directory, this._executor), next);
        }
        if (typeof directory?.path === "string") {
          return this._runTask(
            changeWorkingDirectoryTask(
              directory.path,
              directory.root && this._executor || void 0
            ),
            next
          );
        }
        return this._runTask(
          configurationErrorTask("Git.cwd: workingDirectory must be supplied as a string"),
          next
        );
      }
      hashObject(path, write) {
        return this._runTask(
          hashObjectTask(path, write === true),
          trailingFunctionArgument(arguments)
        );
      }
      init(bare) {
        return this._runTask(
          initTask(bare === true, this._executor.cwd, getTrailingOptions(arguments)),
          trailingFunctionArgument(arguments)
        );
      }
      merge() {
        return this._runTask(
          mergeTask(getTrailingOptions(arguments)),
          trailingFunctionArgument(arguments)
        );
      }
      mergeFromTo(remote, branch) {
        if (!(filterString(remote) && filterString(branch))) {
          return this._runTask(
            configurationErrorTask(
              `Git.mergeFromTo requires that the 'remote' and 'branch' arguments are supplied as strings`
            )
          );
        }
        return this._runTask(
          mergeTask([remote, branch, ...getTrailingOptions(arguments)]),
          trailingFunctionArgument(arguments, false)
        );
      }
      outputHandler(handler) {
        this._executor.outputHandler = handler;
        return this;
      }
      push() {
        const task = pushTask(
          {
            remote: filterType(arguments[0], filterString),
            branch: filterType(arguments[1], filterString)
          },
          getTrailingOptions(arguments)
        );
        return this._runTask(task, trailingFunctionArgument(arguments));
      }
      stash() {
        return this._runTask(
          straightThroughStringTask(["stash", ...getTrailingOptions(arguments)]),
          trailingFunctionArgument(arguments)
        );
      }
      status() {
        return this._runTask(
          statusTask(getTrailingOptions(arguments)),
          trailingFunctionArgument(arguments)
        );
      }
    };
    Object.assign(
      SimpleGitApi.prototype,
      checkout_default(),
      clone_default(),
      commit_default(),
      config_default(),
      count_objects_default(),
      first_commit_default(),
      grep_default(),
      log_default(),
      show_default(),
      version_default()
    );
  }
});
var scheduler_exports = {};
__export(scheduler_exports, {
  Scheduler: () => Scheduler
});
var createScheduledTask;
var Scheduler;
var init_scheduler = __esm({
  "src/lib/runners/scheduler.ts"() {
    "use strict";
    init_utils();
    init_git_logger();
    createScheduledTask = /* @__PURE__ */ (() => {
      let id = 0;
      return () => {
        id++;
        const { promise, done } = (0, import_promise_deferred.createDeferred)();
        return {
          promise,
          done,
          id
        };
      };
    })();
    Scheduler = class {
      constructor(concurrency = 2) {
        this.concurrency = concurrency;
        this.logger = createLogger("", "scheduler");
        this.pending = [];
        this.running = [];
        this.logger(`Constructed, concurrency=%s`, concurrency);
      }
      schedule() {
        if (!this.pending.length || this.running.length >= this.concurrency) {
          this.logger(
            `Schedule attempt ignored, pending=%s running=%s concurrency=%s`,
            this.pending.length,
            this.running.length,
            this.concurrency
          );
          return;
        }
        const task = append(this.running, this.pending.shift());
        this.logger(`Attempting id=%s`, task.id);
        task.done(() => {
          this.logger(`Completing id=`, task.id);
          remove(this.running, task);
          this.schedule();
        });
      }
      next() {
        const { promise, id } = append(this.pending, createScheduledTask());
        this.logger(`Scheduling id=%s`, id);
        this.schedule();
        return promise;
      }
    };
  }
});
var apply_patch_exports = {};
__export(apply_patch_exports, {
  applyPatchTask: () => applyPatchTask
});
function applyPatchTask(patches, customArgs) {
  return straightThroughStringTask(["apply", ...customArgs, ...patches]);
}
var init_apply_patch = __esm({
  "src/lib/tasks/apply-patch.ts"() {
    "use strict";
    init_task();
  }
});
function branchDeletionSuccess(branch, hash) {
  return {
    branch,
    hash,
    success: true
  };
}
function branchDeletionFailure(branch) {
  return {
    branch,
    hash: null,
    success: false
  };
}
var BranchDeletionBatch;
var init_BranchDeleteSummary = __esm({
  "src/lib/responses/BranchDeleteSummary.ts"() {
    "use strict";
    BranchDeletionBatch = class {
      constructor() {
        this.all = [];
        this.branches = {};
        this.errors = [];
      }
      get success() {
        return !this.errors.length;
      }
    };
  }
});
function hasBranchDeletionError(data, processExitCode) {
  return processExitCode === 1 && deleteErrorRegex.test(data);
}
var deleteSuccessRegex;
var deleteErrorRegex;
var parsers8;
var parseBranchDeletions;
var init_parse_branch_delete = __esm({
  "src/lib/parsers/parse-branch-delete.ts"() {
    "use strict";
    init_BranchDeleteSummary();
    init_utils();
    deleteSuccessRegex = /(\S+)\s+\(\S+\s([^)]+)\)/;
    deleteErrorRegex = /^error[^']+'([^']+)'/m;
    parsers8 = [
      new LineParser(deleteSuccessRegex, (result, [branch, hash]) => {
        const deletion = branchDeletionSuccess(branch, hash);
        result.all.push(deletion);
        result.branches[branch] = deletion;
      }),
      new LineParser(deleteErrorRegex, (result, [branch]) => {
        const deletion = branchDeletionFailure(branch);
        result.errors.push(deletion);
        result.all.push(deletion);
        result.branches[branch] = deletion;
      })
    ];
    parseBranchDeletions = (stdOut, stdErr) => {
      return parseStringResponse(new BranchDeletionBatch(), parsers8, [stdOut, stdErr]);
    };
  }
});
var BranchSummaryResult;
var init_BranchSummary = __esm({
  "src/lib/responses/BranchSummary.ts"() {
    "use strict";
    BranchSummaryResult = class {
      constructor() {
        this.all = [];
        this.branches = {};
        this.current = "";
        this.detached = false;
      }
      push(status, detached, name, commit, label) {
        if (status === "*") {
          this.detached = detached;
          this.current = name;
        }
        this.all.push(name);
        this.branches[name] = {
          current: status === "*",
          linkedWorkTree: status === "+",
          name,
          commit,
          label
        };
      }
    };
  }
});
function branchStatus(input) {
  return input ? input.charAt(0) : "";
}
function parseBranchSummary(stdOut, currentOnly = false) {
  return parseStringResponse(
    new BranchSummaryResult(),
    currentOnly ? [currentBranchParser] : parsers9,
    stdOut
  );
}
var parsers9;
var currentBranchParser;
var init_parse_branch = __esm({
  "src/lib/parsers/parse-branch.ts"() {
    "use strict";
    init_BranchSummary();
    init_utils();
    parsers9 = [
      new LineParser(
        /^([*+]\s)?\((?:HEAD )?detached (?:from|at) (\S+)\)\s+([a-z0-9]+)\s(.*)$/,
        (result, [current, name, commit, label]) => {
          result.push(branchStatus(current), true, name, commit, label);
        }
      ),
      new LineParser(
        /^([*+]\s)?(\S+)\s+([a-z0-9]+)\s?(.*)$/s,
        (result, [current, name, commit, label]) => {
          result.push(branchStatus(current), false, name, commit, label);
        }
      )
    ];
    currentBranchParser = new LineParser(/^(\S+)$/s, (result, [name]) => {
      result.push("*", false, name, "", "");
    });
  }
});
var branch_exports = {};
__export(branch_exports, {
  branchLocalTask: () => branchLocalTask,
  branchTask: () => branchTask,
  containsDeleteBranchCommand: () => containsDeleteBranchCommand,
  deleteBranchTask: () => deleteBranchTask,
  deleteBranchesTask: () => deleteBranchesTask
});
function containsDeleteBranchCommand(commands) {
  const deleteCommands = ["-d", "-D", "--delete"];
  return commands.some((command) => deleteCommands.includes(command));
}
function branchTask(customArgs) {
  const isDelete = containsDeleteBranchCommand(customArgs);
  const isCurrentOnly = customArgs.includes("--show-current");
  const commands = ["branch", ...customArgs];
  if (commands.length === 1) {
    commands.push("-a");
  }
  if (!commands.includes("-v")) {
    commands.splice(1, 0, "-v");
  }
  return {
    format: "utf-8",
    commands,
    parser(stdOut, stdErr) {
      if (isDelete) {
        return parseBranchDeletions(stdOut, stdErr).all[0];
      }
      return parseBranchSummary(stdOut, isCurrentOnly);
    }
  };
}
function branchLocalTask() {
  return {
    format: "utf-8",
    commands: ["branch", "-v"],
    parser(stdOut) {
      return parseBranchSummary(stdOut);
    }
  };
}
function deleteBranchesTask(branches, forceDelete = false) {
  return {
    format: "utf-8",
    commands: ["branch", "-v", forceDelete ? "-D" : "-d", ...branches],
    parser(stdOut, stdErr) {
      return parseBranchDeletions(stdOut, stdErr);
    },
    onError({ exitCode, stdOut }, error, done, fail) {
      if (!hasBranchDeletionError(String(error), exitCode)) {
        return fail(error);
      }
      done(stdOut);
    }
  };
}
function deleteBranchTask(branch, forceDelete = false) {
  const task = {
    format: "utf-8",
    commands: ["branch", "-v", forceDelete ? "-D" : "-d", branch],
    parser(stdOut, stdErr) {
      return parseBranchDeletions(stdOut, stdErr).branches[branch];
    },
    onError({ exitCode, stdErr, stdOut }, error, _, fail) {
      if (!hasBranchDeletionError(String(error), exitCode)) {
        return fail(error);
      }
      throw new GitResponseError(
        task.parser(bufferToString(stdOut), bufferToString(stdErr)),
        String(error)
      );
    }
  };
  return task;
}
var init_branch = __esm({
  "src/lib/tasks/branch.ts"() {
    "use strict";
    init_git_response_error();
    init_parse_branch_delete();
    init_parse_branch();
    init_utils();
  }
});
function toPath(input) {
  const path = input.trim().replace(/^["']|["']$/g, "");
  return path && normalize(path);
}
var parseCheckIgnore;
var init_CheckIgnore = __esm({
  "src/lib/responses/CheckIgnore.ts"() {
    "use strict";
    parseCheckIgnore = (text) => {
      return text.split(/\n/g).map(toPath).filter(Boolean);
    };
  }
});
var check_ignore_exports = {};
__export(check_ignore_exports, {
  checkIgnoreTask: () => checkIgnoreTask
});
function checkIgnoreTask(paths) {
  return {
    commands: ["check-ignore", ...paths],
    format: "utf-8",
    parser: parseCheckIgnore
  };
}
var init_check_ignore = __esm({
  "src/lib/tasks/check-ignore.ts"() {
    "use strict";
    init_CheckIgnore();
  }
});
function parseFetchResult(stdOut, stdErr) {
  const result = {
    raw: stdOut,
    remote: null,
    branches: [],
    tags: [],
    updated: [],
    deleted: []
  };
  return parseStringResponse(result, parsers10, [stdOut, stdErr]);
}
var parsers10;
var init_parse_fetch = __esm({
  "src/lib/parsers/parse-fetch.ts"() {
    "use strict";
    init_utils();
    parsers10 = [
      new LineParser(/From (.+)$/, (result, [remote]) => {
        result.remote = remote;
      }),
      new LineParser(/\* \[new branch]\s+(\S+)\s*-> (.+)$/, (result, [name, tracking]) => {
        result.branches.push({
          name,
          tracking
        });
      }),
      new LineParser(/\* \[new tag]\s+(\S+)\s*-> (.+)$/, (result, [name, tracking]) => {
        result.tags.push({
          name,
          tracking
        });
      }),
      new LineParser(/- \[deleted]\s+\S+\s*-> (.+)$/, (result, [tracking]) => {
        result.deleted.push({
          tracking
        });
      }),
      new LineParser(
        /\s*([^.]+)\.\.(\S+)\s+(\S+)\s*-> (.+)$/,
        (result, [from, to, name, tracking]) => {
          result.updated.push({
            name,
            tracking,
            to,
            from
          });
        }
      )
    ];
  }
});
var fetch_exports = {};
__export(fetch_exports, {
  fetchTask: () => fetchTask
});
function disallowedCommand(command) {
  return /^--upload-pack(=|$)/.test(command);
}
function fetchTask(remote, branch, customArgs) {
  const commands = ["fetch", ...customArgs];
  if (remote && branch) {
    commands.push(remote, branch);
  }
  const banned = commands.find(disallowedCommand);
  if (banned) {
    return configurationErrorTask(`git.fetch: potential exploit argument blocked.`);
  }
  return {
    commands,
    format: "utf-8",
    parser: parseFetchResult
  };
}
var init_fetch = __esm({
  "src/lib/tasks/fetch.ts"() {
    "use strict";
    init_parse_fetch();
    init_task();
  }
});
function parseMoveResult(stdOut) {
  return parseStringResponse({ moves: [] }, parsers11, stdOut);
}
var parsers11;
var init_parse_move = __esm({
  "src/lib/parsers/parse-move.ts"() {
    "use strict";
    init_utils();
    parsers11 = [
      new LineParser(/^Renaming (.+) to (.+)$/, (result, [from, to]) => {
        result.moves.push({ from, to });
      })
    ];
  }
});
var move_exports = {};
__export(move_exports, {
  moveTask: () => moveTask
});
function moveTask(from, to) {
  return {
    commands: ["mv", "-v", ...asArray(from), to],
    format: "utf-8",
    parser: parseMoveResult
  };
}
var init_move = __esm({
  "src/lib/tasks/move.ts"() {
    "use strict";
    init_parse_move();
    init_utils();
  }
});
var pull_exports = {};
__export(pull_exports, {
  pullTask: () => pullTask
});
function pullTask(remote, branch, customArgs) {
  const commands = ["pull", ...customArgs];
  if (remote && branch) {
    commands.splice(1, 0, remote, branch);
  }
  return {
    commands,
    format: "utf-8",
    parser(stdOut, stdErr) {
      return parsePullResult(stdOut, stdErr);
    },
    onError(result, _error, _done, fail) {
      const pullError = parsePullErrorResult(
        bufferToString(result.stdOut),
        bufferToString(result.stdErr)
      );
      if (pullError) {
        return fail(new GitResponseError(pullError));
      }
      fail(_error);
    }
  };
}
var init_pull = __esm({
  "src/lib/tasks/pull.ts"() {
    "use strict";
    init_git_response_error();
    init_parse_pull();
    init_utils();
  }
});
function parseGetRemotes(text) {
  const remotes = {};
  forEach(text, ([name]) => remotes[name] = { name });
  return Object.values(remotes);
}
function parseGetRemotesVerbose(text) {
  const remotes = {};
  forEach(text, ([name, url, purpose]) => {
    if (!Object.hasOwn(remotes, name)) {
      remotes[name] = {
        name,
        refs: { fetch: "", push: "" }
      };
    }
    if (purpose && url) {
      remotes[name].refs[purpose.replace(/[^a-z]/g, "")] = url;
    }
  });
  return Object.values(remotes);
}
function forEach(text, handler) {
  forEachLineWithContent(text, (line) => handler(line.split(/\s+/)));
}
var init_GetRemoteSummary = __esm({
  "src/lib/responses/GetRemoteSummary.ts"() {
    "use strict";
    init_utils();
  }
});
var remote_exports = {};
__export(remote_exports, {
  addRemoteTask: () => addRemoteTask,
  getRemotesTask: () => getRemotesTask,
  listRemotesTask: () => listRemotesTask,
  remoteTask: () => remoteTask,
  removeRemoteTask: () => removeRemoteTask
});
function addRemoteTask(remoteName, remoteRepo, customArgs) {
  return straightThroughStringTask(["remote", "add", ...customArgs, remoteName, remoteRepo]);
}
function getRemotesTask(verbose) {
  const commands = ["remote"];
  if (verbose) {
    commands.push("-v");
  }
  return {
    commands,
    format: "utf-8",
    parser: verbose ? parseGetRemotesVerbose : parseGetRemotes
  };
}
function listRemotesTask(customArgs) {
  const commands = [...customArgs];
  if (commands[0] !== "ls-remote") {
    commands.unshift("ls-remote");
  }
  return straightThroughStringTask(commands);
}
function remoteTask(customArgs) {
  const commands = [...customArgs];
  if (commands[0] !== "remote") {
    commands.unshift("remote");
  }
  return straightThroughStringTask(commands);
}
function removeRemoteTask(remoteName) {
  return straightThroughStringTask(["remote", "remove", remoteName]);
}
var init_remote = __esm({
  "src/lib/tasks/remote.ts"() {
    "use strict";
    init_GetRemoteSummary();
    init_task();
  }
});
var stash_list_exports = {};
__export(stash_list_exports, {
  stashListTask: () => stashListTask
});
function stashListTask(opt = {}, customArgs) {
  const options = parseLogOptions(opt);
  const commands = ["stash", "list", ...options.commands, ...customArgs];
  const parser4 = createListLogSummaryParser(
    options.splitter,
    options.fields,
    logFormatFromCommand(commands)
  );
  return validateLogFormatConfig(commands) || {
    commands,
    format: "utf-8",
    parser: parser4
  };
}
var init_stash_list = __esm({
  "src/lib/tasks/stash-list.ts"() {
    "use strict";
    init_log_format();
    init_parse_list_log_summary();
    init_diff();
    init_log();
  }
});
var sub_module_exports = {};
__export(sub_module_exports, {
  addSubModuleTask: () => addSubModuleTask,
  initSubModuleTask: () => initSubModuleTask,
  subModuleTask: () => subModuleTask,
  updateSubModuleTask: () => updateSubModuleTask
});
function addSubModuleTask(repo, path) {
  return subModuleTask(["add", repo, path]);
}
function initSubModuleTask(customArgs) {
  return subModuleTask(["init", ...customArgs]);
}
function subModuleTask(customArgs) {
  const commands = [...customArgs];
  if (commands[0] !== "submodule") {
    commands.unshift("submodule");
  }
  return straightThroughStringTask(commands);
}
function updateSubModuleTask(customArgs) {
  return subModuleTask(["update", ...customArgs]);
}
var init_sub_module = __esm({
  "src/lib/tasks/sub-module.ts"() {
    "use strict";
    init_task();
  }
});
function singleSorted(a, b) {
  const aIsNum = Number.isNaN(a);
  const bIsNum = Number.isNaN(b);
  if (aIsNum !== bIsNum) {
    return aIsNum ? 1 : -1;
  }
  return aIsNum ? sorted(a, b) : 0;
}
function sorted(a, b) {
  return a === b ? 0 : a > b ? 1 : -1;
}
function trimmed(input) {
  return input.trim();
}
function toNumber(input) {
  if (typeof input === "string") {
    return parseInt(input.replace(/^\D+/g, ""), 10) || 0;
  }
  return 0;
}
var TagList;
var parseTagList;
var init_TagList = __esm({
  "src/lib/responses/TagList.ts"() {
    "use strict";
    TagList = class {
      constructor(all, latest) {
        this.all = all;
        this.latest = latest;
      }
    };
    parseTagList = function(data, customSort = false) {
      const tags = data.split("\n").map(trimmed).filter(Boolean);
      if (!customSort) {
        tags.sort(function(tagA, tagB) {
          const partsA = tagA.split(".");
          const partsB = tagB.split(".");
          if (partsA.length === 1 || partsB.length === 1) {
            return singleSorted(toNumber(partsA[0]), toNumber(partsB[0]));
          }
          for (let i2 = 0, l = Math.max(partsA.length, partsB.length); i2 < l; i2++) {
            const diff = sorted(toNumber(partsA[i2]), toNumber(partsB[i2]));
            if (diff) {
              return diff;
            }
          }
          return 0;
        });
      }
      const latest = customSort ? tags[0] : [...tags].reverse().find((tag) => tag.indexOf(".") >= 0);
      return new TagList(tags, latest);
    };
  }
});
var tag_exports = {};
__export(tag_exports, {
  addAnnotatedTagTask: () => addAnnotatedTagTask,
  addTagTask: () => addTagTask,
  tagListTask: () => tagListTask
});
function tagListTask(customArgs = []) {
  const hasCustomSort = customArgs.some((option) => /^--sort=/.test(option));
  return {
    format: "utf-8",
    commands: ["tag", "-l", ...customArgs],
    parser(text) {
      return parseTagList(text, hasCustomSort);
    }
  };
}
function addTagTask(name) {
  return {
    format: "utf-8",
    commands: ["tag", name],
    parser() {
      return { name };
    }
  };
}
function addAnnotatedTagTask(name, tagMessage) {
  return {
    format: "utf-8",
    commands: ["tag", "-a", "-m", tagMessage, name],
    parser() {
      return { name };
    }
  };
}
var init_tag = __esm({
  "src/lib/tasks/tag.ts"() {
    "use strict";
    init_TagList();
  }
});
var require_git = __commonJS2({
  "src/git.js"(exports, module) {
    "use strict";
    var { GitExecutor: GitExecutor2 } = (init_git_executor(), __toCommonJS(git_executor_exports));
    var { SimpleGitApi: SimpleGitApi2 } = (init_simple_git_api(), __toCommonJS(simple_git_api_exports));
    var { Scheduler: Scheduler2 } = (init_scheduler(), __toCommonJS(scheduler_exports));
    var { adhocExecTask: adhocExecTask2, configurationErrorTask: configurationErrorTask2 } = (init_task(), __toCommonJS(task_exports));
    var {
      asArray: asArray2,
      filterArray: filterArray2,
      filterPrimitives: filterPrimitives2,
      filterString: filterString2,
      filterStringOrStringArray: filterStringOrStringArray2,
      filterType: filterType2,
      getTrailingOptions: getTrailingOptions2,
      trailingFunctionArgument: trailingFunctionArgument2,
      trailingOptionsArgument: trailingOptionsArgument2
    } = (init_utils(), __toCommonJS(utils_exports));
    var { applyPatchTask: applyPatchTask2 } = (init_apply_patch(), __toCommonJS(apply_patch_exports));
    var {
      branchTask: branchTask2,
      branchLocalTask: branchLocalTask2,
      deleteBranchesTask: deleteBranchesTask2,
      deleteBranchTask: deleteBranchTask2
    } = (init_branch(), __toCommonJS(branch_exports));
    var { checkIgnoreTask: checkIgnoreTask2 } = (init_check_ignore(), __toCommonJS(check_ignore_exports));
    var { checkIsRepoTask: checkIsRepoTask2 } = (init_check_is_repo(), __toCommonJS(check_is_repo_exports));
    var { cleanWithOptionsTask: cleanWithOptionsTask2, isCleanOptionsArray: isCleanOptionsArray2 } = (init_clean(), __toCommonJS(clean_exports));
    var { diffSummaryTask: diffSummaryTask2 } = (init_diff(), __toCommonJS(diff_exports));
    var { fetchTask: fetchTask2 } = (init_fetch(), __toCommonJS(fetch_exports));
    var { moveTask: moveTask2 } = (init_move(), __toCommonJS(move_exports));
    var { pullTask: pullTask2 } = (init_pull(), __toCommonJS(pull_exports));
    var { pushTagsTask: pushTagsTask2 } = (init_push(), __toCommonJS(push_exports));
    var {
      addRemoteTask: addRemoteTask2,
      getRemotesTask: getRemotesTask2,
      listRemotesTask: listRemotesTask2,
      remoteTask: remoteTask2,
      removeRemoteTask: removeRemoteTask2
    } = (init_remote(), __toCommonJS(remote_exports));
    var { getResetMode: getResetMode2, resetTask: resetTask2 } = (init_reset(), __toCommonJS(reset_exports));
    var { stashListTask: stashListTask2 } = (init_stash_list(), __toCommonJS(stash_list_exports));
    var {
      addSubModuleTask: addSubModuleTask2,
      initSubModuleTask: initSubModuleTask2,
      subModuleTask: subModuleTask2,
      updateSubModuleTask: updateSubModuleTask2
    } = (init_sub_module(), __toCommonJS(sub_module_exports));
    var { addAnnotatedTagTask: addAnnotatedTagTask2, addTagTask: addTagTask2, tagListTask: tagListTask2 } = (init_tag(), __toCommonJS(tag_exports));
    var { straightThroughBufferTask: straightThroughBufferTask2, straightThroughStringTask: straightThroughStringTask2 } = (init_task(), __toCommonJS(task_exports));
    function Git2(options, plugins) {
      this._plugins = plugins;
      this._executor = new GitExecutor2(
        options.baseDir,
        new Scheduler2(options.maxConcurrentProcesses),
        plugins
      );
      this._trimmed = options.trimmed;
    }
    (Git2.prototype = Object.create(SimpleGitApi2.prototype)).constructor = Git2;
    Git2.prototype.customBinary = function(command) {
      this._plugins.reconfigure("binary", command);
      return this;
    };
    Git2.prototype.env = function(name, value) {
      if (arguments.length === 1 && typeof name === "object") {
        this._executor.env = name;
      } else {
        (this._executor.env = this._executor.env || {})[name] = value;
      }
      return this;
    };
    Git2.prototype.stashList = function(options) {
      return this._runTask(
        stashListTask2(
          trailingOptionsArgument2(arguments) || {},
          filterArray2(options) && options || []
        ),
        trailingFunctionArgument2(arguments)
      );
    };
    Git2.prototype.mv = function(from, to) {
      return this._runTask(moveTask2(from, to), trailingFunctionArgument2(arguments));
    };
    Git2.prototype.checkoutLatestTag = function(then) {
      var git = this;
      return this.pull(function() {
        git.tags(function(err, tags) {
          git.checkout(tags.latest, then);
        });
      });
    };
    Git2.prototype.pull = function(remote, branch, options, then) {
      return this._runTask(
        pullTask2(
          filterType2(remote, filterString2),
          filterType2(branch, filterString2),
          getTrailingOptions2(arguments)
        ),
        trailingFunctionArgument2(arguments)
      );
    };
    Git2.prototype.fetch = function(remote, branch) {
      return this._runTask(
        fetchTask2(
          filterType2(remote, filterString2),
          filterType2(branch, filterString2),
          getTrailingOptions2(arguments)
        ),
        trailingFunctionArgument2(arguments)
      );
    };
    Git2.prototype.silent = function(silence) {
      return this._runTask(
        adhocExecTask2(
          () => console.warn(
            "simple-git deprecation notice: git.silent: logging should be configured using the `debug` library / `DEBUG` environment variable, this method will be removed."
          )
        )
      );
    };
    Git2.prototype.tags = function(options, then) {
      return this._runTask(
        tagListTask2(getTrailingOptions2(arguments)),
        trailingFunctionArgument2(arguments)
      );
    };
    Git2.prototype.rebase = function() {
      return this._runTask(
        straightThroughStringTask2(["rebase", ...getTrailingOptions2(arguments)]),
        trailingFunctionArgument2(arguments)
      );
    };
    Git2.prototype.reset = function(mode) {
      return this._runTask(
        resetTask2(getResetMode2(mode), getTrailingOptions2(arguments)),
        trailingFunctionArgument2(arguments)
      );
    };
    Git2.prototype.revert = function(commit) {
      const next = trailingFunctionArgument2(arguments);
      if (typeof commit !== "string") {
        return this._runTask(configurationErrorTask2("Commit must be a string"), next);
      }
      return this._runTask(
        straightThroughStringTask2(["revert", ...getTrailingOptions2(arguments, 0, true), commit]),
        next
      );
    };
    Git2.prototype.addTag = function(name) {
      const task = typeof name === "string" ? addTagTask2(name) : configurationErrorTask2("Git.addTag requires a tag name");
      return this._runTask(task, trailingFunctionArgument2(arguments));
    };
    Git2.prototype.addAnnotatedTag = function(tagName, tagMessage) {
      return this._runTask(
        addAnnotatedTagTask2(tagName, tagMessage),
        trailingFunctionArgument2(arguments)
      );
    };
    Git2.prototype.deleteLocalBranch = function(branchName, forceDelete, then) {
      return this._runTask(
        deleteBranchTask2(branchName, typeof forceDelete === "boolean" ? forceDelete : false),
        trailingFunctionArgument2(arguments)
      );
    };
    Git2.prototype.deleteLocalBranches = function(branchNames, forceDelete, then) {
      return this._runTask(
        deleteBranchesTask2(branchNames, typeof forceDelete === "boolean" ? forceDelete : false),
        trailingFunctionArgument2(arguments)
      );
    };
    Git2.prototype.branch = function(options, then) {
      return this._runTask(
        branchTask2(getTrailingOptions2(arguments)),
        trailingFunctionArgument2(arguments)
      );
    };
    Git2.prototype.branchLocal = function(then) {
      return this._runTask(branchLocalTask2(), trailingFunctionArgument2(arguments));
    };
    Git2.prototype.raw = function(commands) {
      const createRestCommands = !Array.isArray(commands);
      const command = [].slice.call(createRestCommands ? arguments : commands, 0);
      for (let i2 = 0; i2 < command.length && createRestCommands; i2++) {
        if (!filterPrimitives2(command[i2])) {
          command.splice(i2, command.length - i2);
          break;
        }
      }
      command.push(...getTrailingOptions2(arguments, 0, true));
      var next = trailingFunctionArgument2(arguments);
      if (!command.length) {
        return this._runTask(
          configurationErrorTask2("Raw: must supply one or more command to execute"),
          next
        );
      }
      return this._runTask(straightThroughStringTask2(command, this._trimmed), next);
    };
    Git2.prototype.submoduleAdd = function(repo, path, then) {
      return this._runTask(addSubModuleTask2(repo, path), trailingFunctionArgument2(arguments));
    };
    Git2.prototype.submoduleUpdate = function(args, then) {
      return this._runTask(
        updateSubModuleTask2(getTrailingOptions2(arguments, true)),
        trailingFunctionArgument2(arguments)
      );
    };
    Git2.prototype.submoduleInit = function(args, then) {
      return this._runTask(
        initSubModuleTask2(getTrailingOptions2(arguments, true)),
        trailingFunctionArgument2(arguments)
      );
    };
    Git2.prototype.subModule = function(options, then) {
      return this._runTask(
        subModuleTask2(getTrailingOptions2(arguments)),
        trailingFunctionArgument2(arguments)
      );
    };
    Git2.prototype.listRemote = function() {
      return this._runTask(
        listRemotesTask2(getTrailingOptions2(arguments)),
        trailingFunctionArgument2(arguments)
      );
    };
    Git2.prototype.addRemote = function(remoteName, remoteRepo, then) {
      return this._runTask(
        addRemoteTask2(remoteName, remoteRepo, getTrailingOptions2(arguments)),
        trailingFunctionArgument2(arguments)
      );
    };
    Git2.prototype.removeRemote = function(remoteName, then) {
      return this._runTask(removeRemoteTask2(remoteName), trailingFunctionArgument2(arguments));
    };
    Git2.prototype.getRemotes = function(verbose, then) {
      return this._runTask(getRemotesTask2(verbose === true), trailingFunctionArgument2(arguments));
    };
    Git2.prototype.remote = function(options, then) {
      return this._runTask(
        remoteTask2(getTrailingOptions2(arguments)),
        trailingFunctionArgument2(arguments)
      );
    };
    Git2.prototype.tag = function(options, then) {
      const command = getTrailingOptions2(arguments);
      if (command[0] !== "tag") {
        command.unshift("tag");
      }
      return this._runTask(straightThroughStringTask2(command), trailingFunctionArgument2(arguments));
    };
    Git2.prototype.updateServerInfo = function(then) {
      return this._runTask(
        straightThroughStringTask2(["update-server-info"]),
        trailingFunctionArgument2(arguments)
      );
    };
    Git2.prototype.pushTags = function(remote, then) {
      const task = pushTagsTask2(
        { remote: filterType2(remote, filterString2) },
        getTrailingOptions2(arguments)
      );
      return this._runTask(task, trailingFunctionArgument2(arguments));
    };
    Git2.prototype.rm = function(files) {
      return this._runTask(
        straightThroughStringTask2(["rm", "-f", ...asArray2(files)]),
        trailingFunctionArgument2(arguments)
      );
    };
    Git2.prototype.rmKeepLocal = function(files) {
      return this._runTask(
        straightThroughStringTask2(["rm", "--cached", ...asArray2(files)]),
        trailingFunctionArgument2(arguments)
      );
    };
    Git2.prototype.catFile = function(options, then) {
      return this._catFile("utf-8", arguments);
    };
    Git2.prototype.binaryCatFile = function() {
      return this._catFile("buffer", arguments);
    };
    Git2.prototype._catFile = function(format, args) {
      var handler = trailingFunctionArgument2(args);
      var command = ["cat-file"];
      var options = args[0];
      if (typeof options === "string") {
        return this._runTask(
          configurationErrorTask2("Git.catFile: options must be supplied as an array of strings"),
          handler
        );
      }
      if (Array.isArray(options)) {
        command.push.apply(command, options);
      }
      const task = format === "buffer" ? straightThroughBufferTask2(command) : straightThroughStringTask2(command);
      return this._runTask(task, handler);
    };
    Git2.prototype.diff = function(options, then) {
      const task = filterString2(options) ? configurationErrorTask2(
        "git.diff: supplying options as a single string is no longer supported, switch to an array of strings"
      ) : straightThroughStringTask2(["diff", ...getTrailingOptions2(arguments)]);
      return this._runTask(task, trailingFunctionArgument2(arguments));
    };
    Git2.prototype.diffSummary = function() {
      return this._runTask(
        diffSummaryTask2(getTrailingOptions2(arguments, 1)),
        trailingFunctionArgument2(arguments)
      );
    };
    Git2.prototype.applyPatch = function(patches) {
      const task = !filterStringOrStringArray2(patches) ? configurationErrorTask2(
        `git.applyPatch requires one or more string patches as the first argument`
      ) : applyPatchTask2(asArray2(patches), getTrailingOptions2([].slice.call(arguments, 1)));
      return this._runTask(task, trailingFunctionArgument2(arguments));
    };
    Git2.prototype.revparse = function() {
      const commands = ["rev-parse", ...getTrailingOptions2(arguments, true)];
      return this._runTask(
        straightThroughStringTask2(commands, true),
        trailingFunctionArgument2(arguments)
      );
    };
    Git2.prototype.clean = function(mode, options, then) {
      const usingCleanOptionsArray = isCleanOptionsArray2(mode);
      const cleanMode = usingCleanOptionsArray && mode.join("") || filterType2(mode, filterString2) || "";
      const customArgs = getTrailingOptions2([].slice.call(arguments, usingCleanOptionsArray ? 1 : 0));
      return this._runTask(
        cleanWithOptionsTask2(cleanMode, customArgs),
        trailingFunctionArgument2(arguments)
      );
    };
    Git2.prototype.exec = function(then) {
      const task = {
        commands: [],
        format: "utf-8",
        parser() {
          if (typeof then === "function") {
            then();
          }
        }
      };
      return this._runTask(task);
    };
    Git2.prototype.clearQueue = function() {
      return this._runTask(
        adhocExecTask2(
          () => console.warn(
            "simple-git deprecation notice: clearQueue() is deprecated and will be removed, switch to using the abortPlugin instead."
          )
        )
      );
    };
    Git2.prototype.checkIgnore = function(pathnames, then) {
      return this._runTask(
        checkIgnoreTask2(asArray2(filterType2(pathnames, filterStringOrStringArray2, []))),
        trailingFunctionArgument2(arguments)
      );
    };
    Git2.prototype.checkIsRepo = function(checkType, then) {
      return this._runTask(
        checkIsRepoTask2(filterType2(checkType, filterString2)),
        trailingFunctionArgument2(arguments)
      );
    };
    module.exports = Git2;
  }
});
init_git_error();
init_git_error();
init_git_error();
init_git_response_error();
init_task_configuration_error();
init_check_is_repo();
init_clean();
init_config();
init_diff_name_status();
init_grep();
init_reset();
init_utils();
init_utils();
var never = (0, import_promise_deferred2.deferred)().promise;
init_utils();
init_git_error();
init_utils();
init_utils();
init_utils();
init_utils();
var Git = require_git();
init_git_response_error();

// src/sources/git/repository.ts
async function assertRepository(path) {
  let isDir;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    throw new Error(`no such file or directory: ${path}`);
  }
  if (!isDir) throw new Error(`${path} is not a directory, so not a git repository`);
  try {
    await runGit(path, ["rev-parse", "--git-dir"]);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    if (/not a git repository/i.test(detail)) {
      throw new Error(`${path} is not a git repository (give its top-level directory or a bare repository)`);
    }
    throw new Error(`${path} cannot be opened as a git repository: ${detail}`);
  }
}

// src/sources/git/blobs.ts
var INITIAL_CAPACITY = 1024;
var EMPTY = -1;
var BlobSet = class {
  /** Bytes per id: 20 for SHA-1 repositories, 32 for SHA-256 ones. */
  idBytes;
  #ids;
  #pathOf;
  #size = 0;
  #table;
  #mask;
  #paths = [];
  #pathIds = /* @__PURE__ */ new Map();
  #scratch;
  constructor(idBytes = 20) {
    this.idBytes = idBytes;
    this.#ids = Buffer.alloc(INITIAL_CAPACITY * idBytes);
    this.#pathOf = new Uint32Array(INITIAL_CAPACITY);
    this.#table = new Int32Array(INITIAL_CAPACITY * 2).fill(EMPTY);
    this.#mask = this.#table.length - 1;
    this.#scratch = Buffer.alloc(idBytes);
  }
  get size() {
    return this.#size;
  }
  /** Adds `hex` with `path` (kept only for the first add); returns its index. */
  add(hex, path) {
    this.#toScratch(hex);
    const found = this.#find(this.#scratch);
    if (found.index !== EMPTY) return found.index;
    if (this.#size === this.#pathOf.length) {
      this.#grow();
      return this.add(hex, path);
    }
    const index = this.#size++;
    this.#scratch.copy(this.#ids, index * this.idBytes);
    this.#pathOf[index] = this.internPath(path);
    this.#table[found.slot] = index;
    return index;
  }
  /** The index of `hex`, or -1. */
  indexOf(hex) {
    if (hex.length !== this.idBytes * 2) return EMPTY;
    this.#toScratch(hex);
    return this.#find(this.#scratch).index;
  }
  /** The index of the id stored raw in `source` at `offset`, or -1. */
  indexOfBytes(source, offset) {
    return this.#find(source, offset).index;
  }
  hexAt(index) {
    const start = index * this.idBytes;
    return this.#ids.toString("hex", start, start + this.idBytes);
  }
  pathAt(index) {
    return this.#paths[this.#pathOf[index]];
  }
  pathById(id) {
    return this.#paths[id];
  }
  #toScratch(hex) {
    if (hex.length !== this.idBytes * 2 || this.#scratch.write(hex, "hex") !== this.idBytes) {
      throw new Error(`not an object id: ${hex.slice(0, 80)}`);
    }
  }
  /** The path's number (each distinct path is stored once). */
  internPath(path) {
    let id = this.#pathIds.get(path);
    if (id === void 0) {
      id = this.#paths.length;
      this.#paths.push(path);
      this.#pathIds.set(path, id);
    }
    return id;
  }
  /** Object ids are uniformly random: their first four bytes are a good enough hash. */
  #slotOf(id, offset) {
    return id.readUInt32LE(offset) & this.#mask;
  }
  #find(id, offset = 0) {
    const n = this.idBytes;
    let slot = this.#slotOf(id, offset);
    for (; ; ) {
      const index = this.#table[slot];
      if (index === EMPTY) return { index: EMPTY, slot };
      if (this.#ids.compare(id, offset, offset + n, index * n, index * n + n) === 0) return { index, slot };
      slot = slot + 1 & this.#mask;
    }
  }
  #grow() {
    const capacity = this.#pathOf.length * 2;
    const ids = Buffer.alloc(capacity * this.idBytes);
    this.#ids.copy(ids);
    this.#ids = ids;
    const pathOf = new Uint32Array(capacity);
    pathOf.set(this.#pathOf);
    this.#pathOf = pathOf;
    this.#table = new Int32Array(capacity * 2).fill(EMPTY);
    this.#mask = this.#table.length - 1;
    for (let index = 0; index < this.#size; index++) {
      let slot = this.#slotOf(this.#ids, index * this.idBytes);
      while (this.#table[slot] !== EMPTY) slot = slot + 1 & this.#mask;
      this.#table[slot] = index;
    }
  }
};

// src/sources/git/lines.ts
var LineSplitter = class {
  #onLine;
  #separator;
  #carry = null;
  /** `separator`: 0x0a for lines, 0x00 for `-z` output. */
  constructor(onLine, separator = 10) {
    this.#onLine = onLine;
    this.#separator = separator;
  }
  push(chunk) {
    let start = 0;
    let data = chunk;
    if (this.#carry !== null) {
      const first2 = chunk.indexOf(this.#separator);
      if (first2 === -1) {
        this.#carry = Buffer.concat([this.#carry, chunk]);
        return;
      }
      this.#onLine(Buffer.concat([this.#carry, chunk.subarray(0, first2)]).toString("utf8"));
      this.#carry = null;
      start = first2 + 1;
      data = chunk;
    }
    for (; ; ) {
      const end = data.indexOf(this.#separator, start);
      if (end === -1) break;
      this.#onLine(data.toString("utf8", start, end));
      start = end + 1;
    }
    if (start < data.length) this.#carry = Buffer.from(data.subarray(start));
  }
  /** Emits a last record that had no terminator. */
  end() {
    if (this.#carry !== null && this.#carry.length > 0) this.#onLine(this.#carry.toString("utf8"));
    this.#carry = null;
  }
};

// src/sources/git/introducers.ts
var HEADER_MARK = "";
var HEADER_FIELDS = 2;
var GITLINK_MODE = "160000";
var RawLogParser = class {
  #introduced;
  #onCommit;
  #header = null;
  #commit = null;
  #parents = 0;
  /** "path\0blob" → in how many parent diffs the path became the blob (this commit only). */
  #added = /* @__PURE__ */ new Map();
  #pendingBlob = null;
  #expectPath = false;
  constructor(introduced, onCommit = () => {
  }) {
    this.#introduced = introduced;
    this.#onCommit = onCommit;
  }
  token(raw) {
    if (this.#header !== null) {
      this.#header.push(raw);
      if (this.#header.length === HEADER_FIELDS) this.#startCommit(this.#header);
      return;
    }
    if (this.#expectPath) {
      this.#expectPath = false;
      const blob = this.#pendingBlob;
      this.#pendingBlob = null;
      if (blob !== null) {
        const key = `${raw}\0${blob}`;
        this.#added.set(key, (this.#added.get(key) ?? 0) + 1);
      }
      return;
    }
    const token = raw.charCodeAt(0) === 10 ? raw.replace(/^\n+/, "") : raw;
    if (token.startsWith(HEADER_MARK)) {
      this.#header = [token.slice(HEADER_MARK.length)];
      return;
    }
    if (token.startsWith(":")) {
      const fields = token.split(" ");
      const mode = fields[1];
      const blob = fields[3];
      const kept = blob !== void 0 && mode !== GITLINK_MODE && !/^0+$/.test(blob);
      this.#pendingBlob = kept ? blob : null;
      this.#expectPath = true;
    }
  }
  end() {
    this.#flush();
  }
  #startCommit(fields) {
    this.#header = null;
    const [commit, parents] = fields;
    if (this.#commit === commit) return;
    this.#flush();
    this.#commit = commit;
    this.#parents = parents.trim() === "" ? 0 : parents.trim().split(" ").length;
    this.#onCommit(commit);
  }
  #flush() {
    const commit = this.#commit;
    if (commit === null) return;
    const needed = Math.max(1, this.#parents);
    for (const [key, count] of this.#added) {
      if (count < needed) continue;
      const sep = key.lastIndexOf("\0");
      this.#introduced(commit, key.slice(0, sep), key.slice(sep + 1));
    }
    this.#added = /* @__PURE__ */ new Map();
    this.#commit = null;
  }
};
async function commitDetails(repoPath, commits, signal) {
  const out = /* @__PURE__ */ new Map();
  if (commits.length === 0) return out;
  const text = await runGit(
    repoPath,
    ["log", "--no-walk=unsorted", "--stdin", "-z", "--no-show-signature", "--encoding=UTF-8", "--format=%H%x00%an%x00%ae%x00%aI"],
    { signal, input: commits.join("\n") + "\n", what: "git log" }
  );
  const fields = text.split("\0");
  for (let i2 = 0; i2 + 3 < fields.length; i2 += 4) {
    const commit = fields[i2].replace(/^\n+/, "");
    const [name, email, date] = [fields[i2 + 1], fields[i2 + 2], fields[i2 + 3]];
    out.set(commit, { author: email.trim() === "" ? name : `${name} <${email}>`, date: date.trim() });
  }
  return out;
}
var MAX_FIND_OBJECTS = 2e3;
async function findIntroductions(repoPath, revArgs, wanted, signal) {
  if (wanted.size === 0) return /* @__PURE__ */ new Map();
  const pickaxe = wanted.size <= MAX_FIND_OBJECTS && !await hasPromisorRemote(repoPath, signal);
  const finds = pickaxe ? [...wanted].map((id) => `--find-object=${id}`) : [];
  return walkIntroductions(repoPath, [...finds, ...revArgs], (blob) => wanted.has(blob), signal);
}
async function introductionsAtPaths(repoPath, revArgs, pathspec, accept, signal) {
  return walkIntroductions(repoPath, [...revArgs, "--", pathspec], accept, signal);
}
async function walkIntroductions(repoPath, rangeArgs, accept, signal) {
  const out = /* @__PURE__ */ new Map();
  const args = [
    "log",
    "--format=%x01%H%x00%P",
    "-z",
    "--raw",
    "--no-abbrev",
    "--no-renames",
    // a rename is a delete and an add: the add is what we look for
    "--no-relative",
    "--diff-merges=separate",
    // each parent on its own, whatever log.diffMerges says
    "--root",
    ...SAFE_DIFF_FLAGS,
    ...rangeArgs
  ];
  const { child, done } = spawnGit(repoPath, args, { signal, what: "git log" });
  child.stdin.end();
  const seen = /* @__PURE__ */ new Set();
  const parser4 = new RawLogParser((commit, path, blob) => {
    if (!accept(blob)) return;
    const key = `${commit}\0${path}\0${blob}`;
    if (seen.has(key)) return;
    seen.add(key);
    let list = out.get(blob);
    if (list === void 0) out.set(blob, list = []);
    list.push({ commit, path });
  });
  const records = new LineSplitter((token) => parser4.token(token), 0);
  child.stdout.on("data", (chunk) => records.push(chunk));
  await done;
  records.end();
  parser4.end();
  return out;
}
async function hasPromisorRemote(repoPath, signal) {
  const out = await runGit(repoPath, ["config", "--get-regexp", "^(extensions\\.partialclone|remote\\..*\\.promisor)$"], {
    signal
  }).catch(() => "");
  return out.split("\n").some((line) => {
    const [name, value = ""] = line.split(" ");
    return name === "extensions.partialclone" ? value !== "" : name !== void 0 && name !== "" && value === "true";
  });
}

// src/sources/git/inherited.ts
async function parentsOf(repoPath, commits, signal) {
  const out = await runGit(repoPath, ["log", "--no-walk=unsorted", "--stdin", "--format=%H %P"], {
    signal,
    input: `${commits.join("\n")}
`,
    what: "git log (parents)"
  });
  const parents = /* @__PURE__ */ new Map();
  for (const line of out.split("\n")) {
    const [commit, ...rest] = line.trim().split(" ").filter(Boolean);
    if (commit) parents.set(commit, rest);
  }
  return parents;
}
async function readObjects(repoPath, names, signal) {
  const { child, done } = spawnGit(repoPath, ["cat-file", "--batch"], { signal, what: "git cat-file (parents)" });
  const chunks = [];
  child.stdout.on("data", (c3) => chunks.push(c3));
  child.stdin.end(names.map((n) => `${n}
`).join(""));
  await done;
  const buf = Buffer.concat(chunks);
  const result = /* @__PURE__ */ new Map();
  let at = 0;
  for (const name of names) {
    const eol = buf.indexOf(10, at);
    if (eol < 0) break;
    const header = buf.subarray(at, eol).toString("utf8");
    at = eol + 1;
    const m = / (\w+) (\d+)$/.exec(header);
    if (!m || header.endsWith(" missing") || header.endsWith(" ambiguous")) {
      result.set(name, null);
      continue;
    }
    const size = Number(m[2]);
    result.set(name, m[1] === "blob" ? buf.subarray(at, at + size) : null);
    at += size + 1;
  }
  return result;
}
async function readPresent(repoPath, names, signal) {
  if (!await hasPromisorRemote(repoPath, signal)) return readObjects(repoPath, names, signal);
  const byRev = /* @__PURE__ */ new Map();
  for (const name of names) {
    const colon = name.indexOf(":");
    const list = byRev.get(name.slice(0, colon)) ?? [];
    list.push(name.slice(colon + 1));
    byRev.set(name.slice(0, colon), list);
  }
  const oidOf = /* @__PURE__ */ new Map();
  for (const [rev, paths] of byRev) {
    const out = await runGit(repoPath, ["ls-tree", "-z", "--full-tree", rev, "--", ...paths.map((p) => `:(literal)${p}`)], { signal });
    for (const entry of out.split("\0")) {
      const tab = entry.indexOf("	");
      const [, type, oid] = entry.slice(0, tab).split(" ");
      if (type === "blob" && oid) oidOf.set(`${rev}:${entry.slice(tab + 1)}`, oid);
    }
  }
  const oids = [...new Set(oidOf.values())];
  const absent = /* @__PURE__ */ new Set();
  if (oids.length > 0) {
    const paths = [...new Set([...byRev.values()].flat())].map((p) => `:(literal)${p}`);
    const out = await runGit(
      repoPath,
      ["rev-list", "--objects", "--no-walk", "--missing=print", "--filter=object:type=blob", "--filter-provided-objects", ...byRev.keys(), "--", ...paths],
      { signal }
    );
    for (const line of out.split("\n")) if (line.startsWith("?")) absent.add(line.slice(1).trim());
  }
  const present = oids.filter((o2) => !absent.has(o2));
  const read = present.length > 0 ? await readObjects(repoPath, present, signal) : /* @__PURE__ */ new Map();
  const result = /* @__PURE__ */ new Map();
  for (const name of names) {
    const oid = oidOf.get(name);
    result.set(name, oid === void 0 ? null : read.get(oid) ?? null);
  }
  return result;
}
async function dropInherited(repoPath, candidates, options) {
  const withCommit = candidates.filter((c3) => c3.occurrence.commit);
  if (withCommit.length === 0) return [...candidates];
  const parents = await parentsOf(repoPath, [...new Set(withCommit.map((c3) => c3.occurrence.commit))], options.signal);
  const names = /* @__PURE__ */ new Set();
  for (const c3 of withCommit) {
    if (c3.occurrence.path.includes("\n")) continue;
    for (const p of parents.get(c3.occurrence.commit) ?? []) names.add(`${p}:${c3.occurrence.path}`);
  }
  const contents = names.size > 0 ? await readPresent(repoPath, [...names], options.signal) : /* @__PURE__ */ new Map();
  const held = /* @__PURE__ */ new Map();
  const fingerprintsAt = (name, path) => {
    if (held.has(name)) return held.get(name);
    const content = contents.get(name);
    let fps = /* @__PURE__ */ new Set();
    if (content === void 0) fps = null;
    else if (content !== null) {
      if (content.length > options.maxFileSize) fps = null;
      else {
        const text = content.toString("utf8");
        if (options.mayContainKeypair(text, path)) fps = new Set(options.detect(text, { path }).candidates.map((c3) => c3.fingerprint));
      }
    }
    held.set(name, fps);
    return fps;
  };
  return candidates.filter((c3) => {
    const { commit, path } = c3.occurrence;
    if (!commit) return true;
    const ps = parents.get(commit) ?? [];
    if (ps.length === 0) return true;
    return !ps.every((p) => fingerprintsAt(`${p}:${path}`, path)?.has(c3.fingerprint) === true);
  });
}

// src/sources/git/cross-file.ts
var MAX_TREE_LOOKUPS = 5e5;
function mayPair(lone) {
  let identifier = false;
  let key = false;
  for (const blob of lone) {
    for (const h2 of [...blob.crisp ?? [], ...blob.plain ?? []]) {
      if (h2.kind === "identifier") identifier = true;
      else key = true;
    }
    if (identifier && key) return true;
  }
  return false;
}
function introducedPairs(commits, parents, states, halvesAt) {
  const memo = /* @__PURE__ */ new Map();
  const pairsOf = (commit) => {
    const state = states.get(commit);
    if (state === void 0 || state.size === 0) return [];
    const key = [...state].map(([p, b]) => `${p}\0${b}`).sort().join("");
    let found = memo.get(key);
    if (found === void 0) {
      const lone = [];
      for (const [path, blob] of state) lone.push(...halvesAt(blob, path));
      memo.set(key, found = pairAcrossFiles(lone));
    }
    return found;
  };
  const out = [];
  for (const commit of commits) {
    const found = pairsOf(commit);
    if (found.length === 0) continue;
    const inherited = /* @__PURE__ */ new Set();
    for (const parent of parents.get(commit) ?? []) {
      for (const c3 of pairsOf(parent)) inherited.add(`${c3.fingerprint}\0${c3.occurrence.path}`);
    }
    for (const c3 of found) {
      if (inherited.has(`${c3.fingerprint}\0${c3.occurrence.path}`)) continue;
      out.push({ ...c3, occurrence: { ...c3.occurrence, commit } });
    }
  }
  return { candidates: out, states: memo.size };
}
async function pairAcrossTrees(repoPath, revArgs, lone, introductions, options) {
  const { signal } = options;
  const cost = { paths: 0, commits: 0, lookups: 0, states: 0 };
  const report = () => options.onCost?.({ ...cost });
  if (!mayPair(lone.values())) {
    report();
    return [];
  }
  const paths = /* @__PURE__ */ new Set();
  for (const [blob] of lone) for (const i2 of introductions.get(blob) ?? []) if (!i2.path.includes("\n")) paths.add(i2.path);
  cost.paths = paths.size;
  if (paths.size === 0) {
    report();
    return [];
  }
  const changing = await commitsChanging(repoPath, revArgs, [...paths], signal);
  if (changing.length === 0) {
    report();
    return [];
  }
  const parents = await parentsOf(repoPath, changing, signal);
  const budget = options.maxLookups ?? MAX_TREE_LOOKUPS;
  const commits = [];
  const asked = /* @__PURE__ */ new Set();
  for (const commit of changing.reverse()) {
    const wanted = [commit, ...parents.get(commit) ?? []].filter((c3) => !asked.has(c3));
    if ((asked.size + wanted.length) * paths.size > budget && commits.length > 0) break;
    for (const c3 of wanted) asked.add(c3);
    commits.push(commit);
  }
  cost.commits = commits.length;
  cost.lookups = asked.size * paths.size;
  const states = await treeStates(repoPath, [...asked], [...paths], new Set(lone.keys()), signal);
  const unknown = /* @__PURE__ */ new Map();
  for (const state of states.values()) {
    for (const [path, blob] of state) {
      const crisp = pathNamesCrisp(path);
      const known = lone.get(blob);
      if ((crisp ? known.crisp : known.plain) !== void 0) continue;
      const set = unknown.get(blob) ?? /* @__PURE__ */ new Set();
      set.add(crisp);
      unknown.set(blob, set);
    }
  }
  if (unknown.size > 0) {
    const contents = await readObjects(repoPath, [...unknown.keys()], signal);
    for (const [blob, variants] of unknown) {
      const content = contents.get(blob);
      const known = lone.get(blob);
      for (const crisp of variants) {
        const halves = content == null ? [] : options.detect(content.toString("utf8"), { path: crisp ? "crisp" : "" }).lone ?? [];
        if (crisp) known.crisp = halves;
        else known.plain = halves;
      }
    }
  }
  const halvesAt = (blob, path) => {
    const known = lone.get(blob);
    const halves = (pathNamesCrisp(path) ? known.crisp : known.plain) ?? [];
    return halves.map((h2) => ({ ...h2, occurrence: { ...h2.occurrence, path } }));
  };
  const result = introducedPairs(commits, parents, states, halvesAt);
  cost.states = result.states;
  report();
  return result.candidates;
}
async function commitsChanging(repoPath, revArgs, paths, signal) {
  const { child, done } = spawnGit(repoPath, ["rev-list", "--full-history", ...revArgs, "--stdin"], { signal, what: "git rev-list (paths)" });
  const out = [];
  const lines = new LineSplitter((line) => {
    if (/^[0-9a-f]{40,64}$/.test(line)) out.push(line);
  });
  child.stdout.on("data", (chunk) => lines.push(chunk));
  child.stdin.end(`--
${paths.map((p) => `:(literal)${p}
`).join("")}`);
  await done;
  lines.end();
  return out;
}
async function treeStates(repoPath, commits, paths, wanted, signal) {
  const states = /* @__PURE__ */ new Map();
  for (const c3 of commits) states.set(c3, /* @__PURE__ */ new Map());
  if (commits.length === 0) return states;
  const { child, done } = spawnGit(repoPath, ["cat-file", "--batch-check=%(objectname)"], { signal, what: "git cat-file (trees)" });
  let n = 0;
  const lines = new LineSplitter((line) => {
    const at = n++;
    const oid = line.trim();
    if (!wanted.has(oid)) return;
    const commit = commits[Math.floor(at / paths.length)];
    states.get(commit).set(paths[at % paths.length], oid);
  });
  child.stdout.on("data", (chunk) => lines.push(chunk));
  const write = async () => {
    for (const commit of commits) {
      const block = paths.map((p) => `${commit}:${p}
`).join("");
      if (!child.stdin.write(block)) {
        await new Promise((resolve2) => {
          child.stdin.once("drain", resolve2);
          child.stdin.once("close", resolve2);
        });
      }
      if (signal?.aborted || child.stdin.destroyed) break;
    }
    child.stdin.end();
  };
  await Promise.all([write(), done]);
  lines.end();
  return states;
}

// src/sources/git/enumerate.ts
import { readFile } from "node:fs/promises";
async function resolveCommit(repoPath, rev, what, signal) {
  try {
    const out = await runGit(repoPath, ["rev-parse", "--verify", "--end-of-options", `${rev}^{commit}`], { signal });
    return out.trim();
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new Error(`${what} ${JSON.stringify(rev)} is not a commit in ${repoPath}`);
  }
}
async function revisionArgs(repoPath, range, signal) {
  const since = range.since !== void 0 ? await resolveCommit(repoPath, range.since, "--since", signal) : null;
  const positive = [];
  if (range.branch !== void 0) {
    for (const ref of typeof range.branch === "string" ? [range.branch] : range.branch) {
      positive.push(await resolveCommit(repoPath, ref, "--branch", signal));
    }
  } else {
    positive.push("--all", ...await stashEntries(repoPath, signal));
  }
  return since === null ? positive : [...positive, "--not", since];
}
async function stashEntries(repoPath, signal) {
  const has2 = await runGit(repoPath, ["for-each-ref", "--format=%(refname)", "refs/stash"], { signal });
  if (has2.trim() === "") return [];
  const out = await runGit(repoPath, ["log", "-g", "--no-show-signature", "--format=%H", "refs/stash"], { signal });
  return out.split("\n").filter((line) => /^[0-9a-f]{40,64}$/.test(line));
}
async function objectIdBytes(repoPath, signal) {
  const format = (await runGit(repoPath, ["rev-parse", "--show-object-format"], { signal })).trim();
  return format === "sha256" ? 32 : 20;
}
async function listBlobs(repoPath, revArgs, listing, signal, extraArgs = []) {
  const args = [
    "rev-list",
    "--objects",
    "--filter=object:type=blob",
    "--filter-provided-objects",
    "--missing=print",
    ...revArgs,
    ...extraArgs
  ];
  const { child, done } = spawnGit(repoPath, args, { signal, what: "git rev-list" });
  child.stdin.end();
  let last2 = null;
  const emit = () => {
    if (last2 !== null) listing.onBlob(last2.hex, last2.path);
    last2 = null;
  };
  const lines = new LineSplitter((line) => {
    if (line.startsWith("?")) {
      emit();
      listing.onMissing(line.slice(1).trim());
      return;
    }
    const space = line.indexOf(" ");
    const hex = space === -1 ? line : line.slice(0, space);
    if ((hex.length === 40 || hex.length === 64) && /^[0-9a-f]+$/.test(hex)) {
      emit();
      last2 = { hex, path: space === -1 ? "" : line.slice(space + 1) };
    } else if (last2 !== null) {
      last2.path += `
${line}`;
    }
  });
  child.stdout.on("data", (chunk) => {
    lines.push(chunk);
    const wait = listing.congested?.();
    if (wait) {
      child.stdout.pause();
      void wait.then(() => child.stdout.resume());
    }
  });
  await done;
  lines.end();
  emit();
}
async function countCommits(repoPath, revArgs, signal) {
  const out = await runGit(repoPath, ["rev-list", "--count", ...revArgs], { signal });
  return Number(out.trim()) || 0;
}
async function shallowBoundary(repoPath, signal) {
  const shallow = (await runGit(repoPath, ["rev-parse", "--is-shallow-repository"], { signal })).trim() === "true";
  if (!shallow) return /* @__PURE__ */ new Set();
  const file = (await runGit(repoPath, ["rev-parse", "--path-format=absolute", "--git-path", "shallow"], { signal })).trim();
  const text = await readFile(file, "utf8").catch(() => "");
  return new Set(text.split("\n").map((l) => l.trim()).filter((l) => /^[0-9a-f]{40,64}$/.test(l)));
}

// src/sources/git/read.ts
import { availableParallelism } from "node:os";

// src/sources/git/batch.ts
var MAX_HEADER_BYTES = 512;
var NEWLINE = 10;
var BatchParser = class {
  #handlers;
  #headerParts = [];
  #headerBytes = 0;
  #current = null;
  #wanted = false;
  #content = null;
  #filled = 0;
  /** Content bytes still to come for the current object, then 1 for its trailing newline. */
  #remaining = 0;
  constructor(handlers) {
    this.#handlers = handlers;
  }
  /** True when the stream ended on an object boundary. */
  get idle() {
    return this.#current === null && this.#headerBytes === 0;
  }
  push(chunk) {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.#current === null) {
        const nl = chunk.indexOf(NEWLINE, pos);
        if (nl === -1) {
          this.#addHeaderPart(chunk.subarray(pos));
          return;
        }
        this.#addHeaderPart(chunk.subarray(pos, nl));
        pos = nl + 1;
        this.#startObject();
        continue;
      }
      const take = Math.min(this.#remaining, chunk.length - pos);
      if (this.#remaining > 0 && take > 0) {
        if (this.#wanted) {
          if (this.#content === null && take === this.#remaining) {
            this.#content = chunk.subarray(pos, pos + take);
          } else {
            this.#content ??= Buffer.allocUnsafe(this.#current.size);
            chunk.copy(this.#content, this.#filled, pos, pos + take);
          }
        }
        this.#filled += take;
        this.#remaining -= take;
        pos += take;
      }
      if (this.#remaining === 0) {
        if (pos >= chunk.length) return;
        if (chunk[pos] !== NEWLINE) throw new Error("unexpected git cat-file output (no newline after an object)");
        pos++;
        this.#finishObject();
      }
    }
  }
  #addHeaderPart(part) {
    this.#headerBytes += part.length;
    if (this.#headerBytes > MAX_HEADER_BYTES) throw new Error("unexpected git cat-file output (header too long)");
    if (part.length > 0) this.#headerParts.push(Buffer.from(part));
  }
  #startObject() {
    const line = Buffer.concat(this.#headerParts).toString("utf8");
    this.#headerParts = [];
    this.#headerBytes = 0;
    const parts = line.split(" ");
    if (parts.length === 2 && (parts[1] === "missing" || parts[1] === "ambiguous")) {
      this.#handlers.onMissing(parts[0], line);
      return;
    }
    const size = Number(parts[2]);
    if (parts.length !== 3 || !Number.isSafeInteger(size) || size < 0) {
      throw new Error(`unexpected git cat-file output: ${line.slice(0, 100)}`);
    }
    const header = { oid: parts[0], type: parts[1], size };
    this.#current = header;
    this.#wanted = this.#handlers.wants(header);
    this.#content = null;
    this.#filled = 0;
    this.#remaining = size;
  }
  #finishObject() {
    const header = this.#current;
    const content = this.#content;
    this.#current = null;
    this.#content = null;
    if (this.#wanted) this.#handlers.onObject(header, content ?? Buffer.alloc(0));
    else this.#handlers.onSkipped?.(header);
  }
};

// src/sources/git/read.ts
var READ_BLOCK = 4096;
var MAX_READERS = 4;
function defaultReaders() {
  return Math.max(1, Math.min(availableParallelism(), MAX_READERS));
}
var MAX_READER_RESTARTS = 1e3;
var ReaderPool = class {
  #repoPath;
  #blobs;
  #visitor;
  #block;
  #signal;
  #stop = new AbortController();
  #readers = [];
  #gaps = { unreadable: [] };
  #pending = [];
  #next = 0;
  #restarts = 0;
  #failure = null;
  constructor(repoPath, blobs, visitor, options) {
    this.#repoPath = repoPath;
    this.#blobs = blobs;
    this.#visitor = visitor;
    this.#block = options.block ?? READ_BLOCK;
    const outer = options.signal;
    if (outer !== void 0) {
      if (outer.aborted) this.#stop.abort(outer.reason);
      else outer.addEventListener("abort", () => this.#stop.abort(outer.reason), { once: true });
    }
    this.#signal = this.#stop.signal;
    for (let i2 = 0; i2 < Math.max(1, options.readers); i2++) this.#readers.push(this.#start([]));
  }
  /** True while some reader's stdin is full: the producer should wait for `drained()`. */
  get congested() {
    return this.#readers.some((r2) => r2.congested);
  }
  drained() {
    return Promise.all(this.#readers.map((r2) => r2.drained())).then(() => {
    });
  }
  /** Queues one BlobSet index for reading. */
  push(index) {
    this.#pending.push(index);
    if (this.#pending.length >= this.#block) this.#flush();
  }
  /** No more ids: waits for every reader; rejects on abort or on a failure that is not an object's. */
  async end() {
    this.#flush();
    for (const r2 of this.#readers) r2.close();
    for (; ; ) {
      const current = [...this.#readers];
      await Promise.allSettled(current.map((r2) => r2.done));
      if (this.#failure !== null) throw this.#failure;
      if (this.#signal.aborted) throw abortError(this.#signal);
      if (current.every((r2, i2) => this.#readers[i2] === r2)) break;
    }
    return this.#gaps;
  }
  #flush() {
    if (this.#pending.length === 0) return;
    const block = this.#pending;
    this.#pending = [];
    const reader = this.#readers[this.#next++ % this.#readers.length];
    reader.write(block);
  }
  #start(initial) {
    const reader = new PoolReader(this.#repoPath, this.#blobs, this.#visitor, this.#signal, (r2, error) => this.#onFailure(r2, error));
    if (initial.length > 0) reader.write(initial);
    return reader;
  }
  /** A reader's git died. If it died on an object, note that object and go on with a new reader. */
  #onFailure(reader, error) {
    if (this.#signal.aborted || this.#failure !== null) return;
    const at = reader.unanswered();
    if (at.length === 0 || reader.parseError !== null || ++this.#restarts > MAX_READER_RESTARTS) {
      this.#failure = reader.parseError ?? error;
      this.#stop.abort(this.#failure);
      return;
    }
    this.#gaps.unreadable.push(at[0]);
    const replacement = this.#start(at.slice(1));
    if (reader.closed) replacement.close();
    this.#readers[this.#readers.indexOf(reader)] = replacement;
  }
};
var PoolReader = class {
  done;
  #child;
  #blobs;
  /** Indexes written, in order; [#head..] are not answered yet. */
  #asked = [];
  #head = 0;
  closed = false;
  parseError = null;
  constructor(repoPath, blobs, visitor, signal, onFailure) {
    const { child, done } = spawnGit(repoPath, ["cat-file", "--batch", "--buffer"], { signal, what: "git cat-file" });
    this.#child = child;
    this.#blobs = blobs;
    let current = -1;
    const parser4 = new BatchParser({
      wants: (header) => {
        current = this.#answer(header.oid, blobs);
        if (current < 0) return false;
        if (header.type !== "blob") {
          visitor.onNotBlob?.(current);
          return false;
        }
        if (header.size > visitor.maxSize) {
          visitor.onLarge(current, header.size);
          return false;
        }
        return true;
      },
      onObject(_header, content) {
        visitor.onBlob(current, content);
      },
      onMissing: (oid) => {
        const index = this.#answer(oid, blobs);
        if (index >= 0) visitor.onMissing?.(index);
      }
    });
    child.stdout.on("data", (chunk) => {
      if (this.parseError !== null) return;
      try {
        parser4.push(chunk);
      } catch (error) {
        this.parseError = error instanceof Error ? error : new Error(String(error));
        child.kill();
      }
    });
    this.done = done.then(
      () => {
        if (this.parseError !== null) throw this.parseError;
        if (!parser4.idle) throw new Error("git cat-file output ended in the middle of an object");
      },
      (error) => {
        onFailure(this, error);
        throw error;
      }
    );
    this.done.catch(() => {
    });
  }
  get congested() {
    return this.#child.stdin.writableNeedDrain;
  }
  drained() {
    const stdin = this.#child.stdin;
    if (!stdin.writableNeedDrain || stdin.destroyed) return Promise.resolve();
    return new Promise((resolve2) => {
      const finish = () => {
        stdin.off("drain", finish);
        stdin.off("close", finish);
        resolve2();
      };
      stdin.on("drain", finish);
      stdin.on("close", finish);
    });
  }
  write(indexes) {
    let text = "";
    for (const index of indexes) {
      this.#asked.push(index);
      text += `${this.#blobs.hexAt(index)}
`;
    }
    this.#child.stdin.write(text);
  }
  close() {
    this.closed = true;
    this.#child.stdin.end();
  }
  unanswered() {
    return this.#asked.slice(this.#head);
  }
  /** The next asked index, checked against the id git answered with; -1 when it is not ours. */
  #answer(oid, blobs) {
    const index = blobs.indexOf(oid);
    if (index >= 0 && this.#asked[this.#head] === index) {
      this.#head++;
      if (this.#head > 65536) {
        this.#asked = this.#asked.slice(this.#head);
        this.#head = 0;
      }
    }
    return index;
  }
};

// src/sources/git/history.ts
var PROBE_PATH = "crisp";
var CRISP_PATHSPEC = ":(icase)*crisp*";
var PATH_LOOKUP_BATCH = 8;
var PROGRESS_INTERVAL_MS = 100;
async function scanHistory(repoPath, options = {}) {
  const { signal } = options;
  await assertRepository(repoPath);
  try {
    return await scan(repoPath, options);
  } catch (error) {
    if (signal?.aborted) throw abortError(signal);
    if (error instanceof GitCommandError) {
      throw new Error(`cannot read the history of ${repoPath}: ${error.message}`);
    }
    throw error;
  }
}
async function scan(repoPath, options) {
  const { signal } = options;
  const injected = options.detect !== void 0 || options.mayContainKeypair !== void 0;
  const detect2 = options.detect ?? detect;
  const prefilter = options.mayContainKeypair ?? mayContainHalf2;
  const maxSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const report = options.onProgress;
  const [revArgs, idBytes, boundary] = await Promise.all([
    revisionArgs(repoPath, { since: options.since, branch: options.branch }, signal),
    objectIdBytes(repoPath, signal),
    shallowBoundary(repoPath, signal)
  ]);
  const blobs = new BlobSet(idBytes);
  const stats = { blobsScanned: 0, bytesScanned: 0, commits: 0, skippedLarge: 0, skippedBinary: 0 };
  const websiteIds = /* @__PURE__ */ new Set();
  const hits = /* @__PURE__ */ new Map();
  const pathDependent = /* @__PURE__ */ new Set();
  let hasCrispPaths = false;
  const large = /* @__PURE__ */ new Set();
  const lones = /* @__PURE__ */ new Map();
  const keepLone = (index, path, halves, plainKnownEmpty = false) => {
    if (halves === void 0 || halves.length === 0) return;
    const entry = lones.get(index) ?? {};
    if (pathNamesCrisp(path)) entry.crisp = [...halves];
    else entry.plain = [...halves];
    if (plainKnownEmpty) entry.plain ??= [];
    lones.set(index, entry);
  };
  const missing = /* @__PURE__ */ new Map();
  const missingBlob = (index) => missing.set(blobs.hexAt(index), blobs.pathAt(index) || void 0);
  const progress = { phase: "listing", blobsListed: 0, blobsDone: 0, blobsTotal: 0, bytesDone: 0, bytesTotal: 0 };
  let lastReport = 0;
  const emit = (force = false) => {
    if (report === void 0) return;
    const now = performance.now();
    if (!force && now - lastReport < PROGRESS_INTERVAL_MS) return;
    lastReport = now;
    report({ ...progress });
  };
  emit(true);
  const scanContent = (index, content) => {
    progress.blobsDone++;
    progress.bytesDone += content.length;
    emit();
    if (isBinary(content)) {
      stats.skippedBinary++;
      return;
    }
    stats.blobsScanned++;
    stats.bytesScanned += content.length;
    const path = blobs.pathAt(index);
    if (!injected && !hasCrispContext("", path)) {
      const kind = classifyBytes(content);
      if (kind === ByteClass.UuidOnly) probe(index, content.toString("utf8"));
      if (kind !== ByteClass.MayHaveContext) return;
    }
    const text = content.toString("utf8");
    if (!prefilter(text, path)) {
      if ((injected || !hasCrispContext(text, path)) && hasUuidShape(content)) probe(index, text);
      return;
    }
    const result = detect2(text, { path });
    for (const id of result.websiteIds) websiteIds.add(id);
    if (result.candidates.length > 0) hits.set(index, result.candidates);
    else if (injected) probe(index, text);
    keepLone(index, path, result.lone);
  };
  const probe = (index, text) => {
    if (!prefilter(text, PROBE_PATH)) return;
    const result = detect2(text, { path: PROBE_PATH });
    if (result.candidates.length > 0) pathDependent.add(index);
    keepLone(index, PROBE_PATH, result.lone, !injected);
  };
  const pool = new ReaderPool(
    repoPath,
    blobs,
    {
      maxSize,
      onBlob: scanContent,
      onLarge(index, size) {
        large.add(index);
        stats.skippedLarge++;
        progress.blobsDone++;
        progress.bytesDone += size;
        emit();
      },
      onMissing: missingBlob
    },
    { readers: options.readers ?? defaultReaders(), block: options.readBlock, signal }
  );
  const counting = countCommits(repoPath, revArgs, signal);
  counting.catch(() => {
  });
  try {
    await listBlobs(
      repoPath,
      revArgs,
      {
        onBlob(hex, path) {
          const before = blobs.size;
          const index = blobs.add(hex, path);
          if (blobs.size === before) return;
          hasCrispPaths ||= hasCrispContext("", path);
          progress.blobsListed++;
          pool.push(index);
          if (progress.blobsDone === 0) emit();
        },
        onMissing(hex) {
          if (!missing.has(hex)) missing.set(hex, void 0);
        },
        congested: () => pool.congested ? pool.drained() : null
      },
      signal
    );
  } catch (error) {
    await pool.end().catch(() => {
    });
    throw error;
  }
  progress.phase = "reading";
  progress.blobsTotal = blobs.size;
  emit(true);
  const gaps = await pool.end();
  progress.bytesTotal = progress.bytesDone;
  for (const index of gaps.unreadable) missingBlob(index);
  stats.commits = await counting;
  progress.phase = "attributing";
  emit(true);
  const atCrispPath = (index) => pathDependent.has(index) || hasCrispPaths && !hits.has(index) && !large.has(index) && !missing.has(blobs.hexAt(index)) && !hasCrispContext("", blobs.pathAt(index));
  if (pathDependent.size > 0 || hasCrispPaths) {
    const atPaths = await introductionsAtPaths(repoPath, revArgs, CRISP_PATHSPEC, (hex) => {
      const index = blobs.indexOf(hex);
      return index >= 0 && atCrispPath(index);
    }, signal);
    const ids = [...atPaths.keys()];
    for (let start = 0; start < ids.length; start += PATH_LOOKUP_BATCH) {
      const batch = ids.slice(start, start + PATH_LOOKUP_BATCH);
      const contents = await readObjects(repoPath, batch, signal);
      for (const hex of batch) {
        const content = contents.get(hex);
        if (content == null || isBinary(content)) continue;
        const text = content.toString("utf8");
        const found = [];
        for (const path of new Set(atPaths.get(hex).map((i2) => i2.path))) {
          if (!prefilter(text, path)) continue;
          const result = detect2(text, { path });
          for (const id of result.websiteIds) websiteIds.add(id);
          found.push(...result.candidates);
        }
        if (found.length > 0) hits.set(blobs.indexOf(hex), found);
      }
    }
  }
  const hitIds = /* @__PURE__ */ new Map();
  for (const index of hits.keys()) hitIds.set(blobs.hexAt(index), index);
  const loneBlobs = /* @__PURE__ */ new Map();
  if (mayPair(lones.values())) for (const [index, entry] of lones) loneBlobs.set(blobs.hexAt(index), entry);
  const introduced = await findIntroductions(repoPath, revArgs, /* @__PURE__ */ new Set([...hitIds.keys(), ...loneBlobs.keys()]), signal);
  const crossFile = await pairAcrossTrees(repoPath, revArgs, loneBlobs, introduced, {
    detect: detect2,
    signal,
    onCost: options.onCrossFileCost
  });
  const commitIds = /* @__PURE__ */ new Set();
  for (const [hex, list] of introduced) if (hitIds.has(hex)) for (const i2 of list) commitIds.add(i2.commit);
  for (const c3 of crossFile) commitIds.add(c3.occurrence.commit);
  const details = await commitDetails(repoPath, [...commitIds], signal);
  const candidates = [];
  for (const [hex, index] of hitIds) {
    const introducers = (introduced.get(hex) ?? []).map((i2) => {
      const detail = details.get(i2.commit);
      return { commit: i2.commit, path: i2.path, author: detail?.author ?? "", date: detail?.date ?? "" };
    });
    candidates.push(...attribute(hits.get(index), introducers, boundary));
  }
  const introducing = await dropInherited(repoPath, candidates, { detect: detect2, mayContainKeypair: prefilter, maxFileSize: maxSize, signal });
  for (const c3 of crossFile) {
    const commit = c3.occurrence.commit;
    const detail = details.get(commit);
    introducing.push({
      ...c3,
      occurrence: {
        ...c3.occurrence,
        author: detail?.author ?? "",
        date: detail?.date ?? "",
        ...boundary.has(commit) ? { shallowBoundary: true } : {}
      }
    });
  }
  const missingObjects = [...missing].map(([id, path]) => path === void 0 ? { id } : { id, path });
  return {
    candidates: introducing,
    websiteIds: [...websiteIds],
    stats,
    ...missingObjects.length > 0 ? { missingObjects } : {},
    ...boundary.size > 0 ? { shallow: true } : {}
  };
}
function attribute(found, introducers, shallowBoundary2 = /* @__PURE__ */ new Set()) {
  if (introducers.length === 0) return [...found];
  const out = [];
  const seen = /* @__PURE__ */ new Set();
  for (const introducer of introducers) {
    for (const candidate of found) {
      const { line, column } = candidate.occurrence;
      const key = `${candidate.fingerprint}\0${introducer.commit}\0${introducer.path}\0${line}\0${column}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        ...candidate,
        occurrence: {
          ...candidate.occurrence,
          path: introducer.path,
          commit: introducer.commit,
          author: introducer.author,
          date: introducer.date,
          ...shallowBoundary2.has(introducer.commit) ? { shallowBoundary: true } : {}
        }
      });
    }
  }
  return out;
}

// src/sources/scan-wire.ts
function candidateToWire({ keypair, ...rest }) {
  return { ...rest, halves: keypair.reveal() };
}

// src/sources/git/history-worker.ts
var port = parentPort;
var request = workerData;
var controller = new AbortController();
port.on("message", (message) => {
  if (message === "abort") controller.abort();
});
var post = (message) => port.postMessage(message);
try {
  const { candidates, ...rest } = await scanHistory(request.repoPath, {
    ...request.options,
    signal: controller.signal,
    ...request.progress ? { onProgress: (progress) => post({ kind: "progress", progress }) } : {}
  });
  post({ kind: "done", result: { ...rest, candidates: candidates.map(candidateToWire) } });
} catch (error) {
  post({ kind: "failed", message: error instanceof Error ? error.message : String(error), aborted: controller.signal.aborted });
} finally {
  port.close();
}
