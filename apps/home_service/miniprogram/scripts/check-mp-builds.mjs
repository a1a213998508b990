#!/usr/bin/env node
// Check the mini-program builds of one app (after `npm run build:mp-weixin` and `npm run build:mp-alipay`):
//   node scripts/check-mp-builds.mjs [customer|technician]     (default: customer)
//   - every page of pages.json (main package and sub-packages) is in the output, with its template;
//   - no development base URL (http://, localhost, loopback, private addresses) is in the code, and
//     the configured HTTPS base URL (VITE_HS_BASE_URL) is;
//   - the WeChat main package (everything outside sub-package roots) is at most 1.5 MB (WeChat's
//     limit is 2 MB), printed with its size, as are the other packages'.
// Exits non-zero on any failure.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const APPS = ['customer', 'technician']
const appName = process.argv[2] || 'customer'
if (!APPS.includes(appName)) {
  console.error(`unknown app "${appName}": one of ${APPS.join(', ')}`)
  process.exit(2)
}
const app = resolve(here, '..', appName)
const MAIN_LIMIT = 1.5 * 1024 * 1024
const TEMPLATE = { 'mp-weixin': '.wxml', 'mp-alipay': '.axml' }
const DEV_URL = /\b(?:https?:\/\/)?(?:localhost|127\.0\.0\.1|0\.0\.0\.0|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|[a-z0-9-]+\.localhost)(?::\d+)?\//i
const baseUrl = process.env.VITE_HS_BASE_URL || ''
const failures = []

function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:\\])\/\/.*$/gm, '$1')
}

const pagesJson = JSON.parse(stripComments(readFileSync(join(app, 'pages.json'), 'utf8')))
const pages = [
  ...pagesJson.pages.map((p) => p.path),
  ...(pagesJson.subPackages ?? []).flatMap((s) => s.pages.map((p) => `${s.root}/${p.path}`)),
]
const subRoots = (pagesJson.subPackages ?? []).map((s) => s.root)

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : [path]
  })
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`

if (!/^https:\/\/[^/]+/.test(baseUrl)) {
  failures.push(`VITE_HS_BASE_URL must be the site's HTTPS origin for mini-program builds (got "${baseUrl}")`)
}

for (const [platform, template] of Object.entries(TEMPLATE)) {
  const out = join(app, 'dist/build', platform)
  if (!existsSync(join(out, 'app.json'))) {
    failures.push(`${platform}: no build in ${out}`)
    continue
  }
  const appJson = JSON.parse(readFileSync(join(out, 'app.json'), 'utf8'))
  const built = [...appJson.pages, ...(appJson.subPackages ?? appJson.subpackages ?? []).flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))]
  for (const page of pages) {
    if (!built.includes(page)) failures.push(`${platform}: ${page} is not in app.json`)
    for (const ext of ['.js', template]) {
      if (!existsSync(join(out, page + ext))) failures.push(`${platform}: ${page}${ext} is missing`)
    }
  }
  const sizes = { main: 0 }
  let sawBase = false
  for (const file of files(out)) {
    const rel = relative(out, file)
    const size = statSync(file).size
    const root = subRoots.find((r) => rel.startsWith(`${r}/`))
    sizes[root ?? 'main'] = (sizes[root ?? 'main'] ?? 0) + size
    if (/\.(js|json|wxml|axml)$/.test(file)) {
      const text = readFileSync(file, 'utf8')
      const dev = DEV_URL.exec(text)
      if (dev) failures.push(`${platform}: development URL "${dev[0]}" in ${rel}`)
      if (baseUrl && text.includes(baseUrl)) sawBase = true
    }
  }
  if (baseUrl && !sawBase) failures.push(`${platform}: the base URL ${baseUrl} is not in the build`)
  const total = Object.values(sizes).reduce((a, b) => a + b, 0)
  const parts = Object.entries(sizes).map(([name, size]) => `${name} ${kb(size)}`).join(', ')
  console.log(`${appName} ${platform}: ${pages.length} pages present; main package ${kb(sizes.main)} (limit ${kb(MAIN_LIMIT)}); ${parts}; total ${kb(total)}`)
  if (platform === 'mp-weixin' && sizes.main > MAIN_LIMIT) {
    failures.push(`mp-weixin: main package ${kb(sizes.main)} is over ${kb(MAIN_LIMIT)}`)
  }
}

if (failures.length) {
  console.error(failures.map((f) => `FAIL ${f}`).join('\n'))
  process.exit(1)
}
console.log(`${appName} mini-program builds: OK`)
