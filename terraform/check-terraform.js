// Parses every .tf under terraform/ with @cdktf/hcl2json and checks what CI can check offline:
// the Scheduler's launch parameters against the Flex Template's metadata.json, and that the
// examples give the module only variables it declares, and every required one.
// Usage: node check-terraform.js <terraform dir> <metadata.json>   (run by check.sh)
"use strict";
const fs = require("fs");
const path = require("path");
const { parse } = require(path.join(__dirname, ".tools/node_modules/@cdktf/hcl2json"));

const [root, metadataPath] = process.argv.slice(2);
const problems = [];
const fail = (msg) => problems.push(msg);

function tfFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue; // .tools, .terraform
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tfFiles(p));
    else if (entry.name.endsWith(".tf")) out.push(p);
  }
  return out;
}

// The HCL of each directory (a Terraform module), merged block type by block type.
async function parseAll() {
  const modules = new Map();
  for (const file of tfFiles(root).sort()) {
    const rel = path.relative(root, file);
    let json;
    try {
      json = await parse(rel, fs.readFileSync(file, "utf8"));
    } catch (e) {
      fail(`${rel}: does not parse: ${String(e.message || e).replace(/^parse config: /, "")}`);
      continue;
    }
    const dir = path.dirname(file);
    const merged = modules.get(dir) || {};
    for (const [type, value] of Object.entries(json)) {
      merged[type] = (merged[type] || []).concat(value);
    }
    modules.set(dir, merged);
  }
  return modules;
}

function locals(mod) {
  return Object.assign({}, ...(mod.locals || []));
}

function variables(mod) {
  const vars = new Map();
  for (const block of mod.variable || []) {
    for (const [name, bodies] of Object.entries(block)) {
      vars.set(name, bodies[0]);
    }
  }
  return vars;
}

function checkMirrorModule(dir, mod, accepted, required) {
  const rel = path.relative(root, dir);
  const l = locals(mod);
  const sent = l.launcher_parameters;
  if (!sent || typeof sent !== "object") {
    fail(`${rel}: no local.launcher_parameters map (the launcher options the Scheduler sends)`);
    return;
  }
  for (const name of Object.keys(sent)) {
    if (!accepted.has(name)) {
      fail(`${rel}: the Scheduler sends parameter '${name}', which the launcher does not accept (not in metadata.json: ${[...accepted].join(", ")})`);
    }
  }
  for (const name of required) {
    if (!(name in sent)) fail(`${rel}: the Scheduler never sends the required parameter '${name}'`);
  }
  if (!/local\.launcher_parameters/.test(String(l.parameters))) {
    fail(`${rel}: local.parameters is not made from local.launcher_parameters`);
  }
  const launch = l.launch_body && l.launch_body.launchParameter;
  if (!launch || launch.parameters !== "${local.parameters}") {
    fail(`${rel}: local.launch_body.launchParameter.parameters must be local.parameters`);
  }
  if (!/\/v1b3\/projects\/.*\/locations\/.*\/flexTemplates:launch$/.test(String(l.launch_uri))) {
    fail(`${rel}: local.launch_uri is not a flexTemplates:launch URL: ${l.launch_uri}`);
  }
  const jobs = (mod.resource || []).flatMap((r) => Object.values(r.google_cloud_scheduler_job || {})).flat();
  if (jobs.length === 0) fail(`${rel}: no google_cloud_scheduler_job`);
  for (const job of jobs) {
    const target = (job.http_target || [])[0] || {};
    if (target.uri !== "${local.launch_uri}" || !/local\.launch_body/.test(String(target.body))
        || String(target.http_method) !== "POST" || !(target.oauth_token || []).length) {
      fail(`${rel}: the Scheduler job must POST local.launch_body to local.launch_uri with an oauth_token`);
    }
  }
  return Object.keys(sent);
}

const META_ARGUMENTS = new Set(["source", "version", "providers", "count", "for_each", "depends_on"]);

function checkModuleCalls(dir, mod, modules) {
  for (const block of mod.module || []) {
    for (const [name, bodies] of Object.entries(block)) {
      const call = bodies[0];
      const rel = `${path.relative(root, dir)}: module.${name}`;
      if (typeof call.source !== "string" || !call.source.startsWith(".")) continue; // a registry module
      const target = path.resolve(dir, call.source);
      const callee = modules.get(target);
      if (!callee) {
        fail(`${rel}: source ${call.source} has no .tf files`);
        continue;
      }
      const vars = variables(callee);
      for (const arg of Object.keys(call)) {
        if (!META_ARGUMENTS.has(arg) && !vars.has(arg)) fail(`${rel}: the module has no variable '${arg}'`);
      }
      for (const [v, body] of vars) {
        if (!("default" in body) && !(v in call)) fail(`${rel}: required variable '${v}' is not given`);
      }
    }
  }
}

(async () => {
  const metadata = JSON.parse(fs.readFileSync(metadataPath, "utf8"));
  const accepted = new Set(metadata.parameters.map((p) => p.name));
  const required = metadata.parameters.filter((p) => !p.isOptional).map((p) => p.name);
  const modules = await parseAll();
  let mirrorModules = 0;
  for (const [dir, mod] of modules) {
    if ("launcher_parameters" in locals(mod) || (mod.resource || []).some((r) => r.google_cloud_scheduler_job)) {
      const sent = checkMirrorModule(dir, mod, accepted, required);
      if (sent) console.log(`terraform/check.sh: ${path.relative(root, dir)} sends ${sent.join(", ")}`);
      mirrorModules++;
    }
    checkModuleCalls(dir, mod, modules);
  }
  if (mirrorModules === 0) fail("no module with a Scheduler job or local.launcher_parameters found");
  if (problems.length) {
    for (const p of problems) console.error(`terraform/check.sh: ${p}`);
    process.exit(1);
  }
  console.log(`terraform/check.sh: ${[...modules.keys()].length} Terraform directories parsed; launch parameters match metadata.json: ok`);
})().catch((e) => {
  console.error(`terraform/check.sh: ${e.stack || e}`);
  process.exit(1);
});
