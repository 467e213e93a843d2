// jest's setupFilesAfterEnv: the gatehouse matchers, for every test file.
import { expect } from '@jest/globals'
import { gatehouseMatchers } from '@gatehousejs/testing'

expect.extend(gatehouseMatchers)
