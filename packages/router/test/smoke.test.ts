import { test, expect } from 'vitest'; import { x } from '@gatehouse/router'; test('x', () => { expect(x).toBe(1) })
