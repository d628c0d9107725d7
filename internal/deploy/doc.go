// Package deploy holds no code: its tests hold the deployment files at the repository root (Dockerfile,
// compose.yaml) to the properties the production guide promises, where no container linter is available.
package deploy
