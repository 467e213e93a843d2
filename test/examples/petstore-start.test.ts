// `npm start` (the README's quick start): the petstore example serves, and a function that throws answers the client
// API Gateway's 502 while its stack trace is printed on the terminal (core's default onError, issue #16).
import { type ChildProcess, spawn } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'

let child: ChildProcess | undefined
afterAll(() => child?.kill())

describe('npm start', () => {
  it('serves the petstore and prints a failing function’s stack on stderr', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'examples/petstore/server.ts'], {
      env: { ...process.env, PORT: '0', PHOTO_BUCKET: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
    const url = await new Promise<string>((resolve, reject) => {
      child!.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString()
        const m = /listening on (http:\/\/\S+)/.exec(stdout)
        if (m) resolve(m[1]!)
      })
      child!.on('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)))
    })
    expect((await fetch(`${url}/pets/1`)).status).toBe(200)
    const res = await fetch(`${url}/pets/1/photo`)
    expect(res.status).toBe(502)
    expect(await res.json()).toEqual({ message: 'Internal server error' })
    for (let i = 0; i < 50 && !stderr.includes('getPetPhoto'); i++) await new Promise((r) => setTimeout(r, 20))
    expect(stderr).toMatch(/photo storage is not configured/)
    expect(stderr).toMatch(/\n\s+at .*examples\/petstore\/handlers\.ts:\d+/)
  })
})
