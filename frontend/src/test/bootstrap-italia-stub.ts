// Test-only stand-in for Bootstrap Italia's JavaScript bundle (see vite.config.ts): the app uses its CSS only.
export class VideoPlayer {}
