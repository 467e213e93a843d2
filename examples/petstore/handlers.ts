/**
 * The example's Lambda handlers: plain `(event, context) => result` functions, as they would be deployed.
 */
import type { LambdaHandler } from '@gatehousejs/core'

interface Pet {
  id: string
  name: string
  type: string
}

const pets = new Map<string, Pet>([
  ['1', { id: '1', name: 'Rex', type: 'dog' }],
  ['2', { id: '2', name: 'Tom', type: 'cat' }],
])
let nextId = 3

const json = (statusCode: number, body: unknown) => ({
  statusCode,
  headers: { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' },
  body: JSON.stringify(body),
})

export const listPets: LambdaHandler = async (event) => {
  const type = event.queryStringParameters?.type
  return json(
    200,
    [...pets.values()].filter((p) => !type || p.type === type),
  )
}

export const getPet: LambdaHandler = async (event) => {
  const pet = pets.get(event.pathParameters.petId)
  return pet ? json(200, pet) : json(404, { message: `no pet ${event.pathParameters.petId}` })
}

/** Photos live in a bucket this example does not have: the function throws, and `npm start` prints its stack (onError). */
export const getPetPhoto: LambdaHandler = async (event) => {
  const bucket = process.env.PHOTO_BUCKET
  if (!bucket) throw new Error(`photo storage is not configured (set PHOTO_BUCKET) for pet ${event.pathParameters.petId}`)
  return json(200, { url: `s3://${bucket}/${event.pathParameters.petId}.jpg` })
}

export const createPet: LambdaHandler = async (event) => {
  let input: Partial<Pet>
  try {
    input = JSON.parse(event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString() : (event.body ?? ''))
  } catch {
    return json(400, { message: 'body must be JSON' })
  }
  if (typeof input.name !== 'string' || typeof input.type !== 'string') return json(400, { message: 'name and type are required' })
  const pet = { id: String(nextId++), name: input.name, type: input.type }
  pets.set(pet.id, pet)
  return json(201, pet)
}
