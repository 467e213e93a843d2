// The Express 4 alias package has no types of its own; its API is a subset of Express 5's for what tests use.
declare module 'express4' {
  import express from 'express'
  export default express
}
