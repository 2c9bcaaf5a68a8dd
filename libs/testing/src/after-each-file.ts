// Runs in every integration test file (jest setupFilesAfterEnv): what a test opened and could not close because it
// failed half way is closed when the file ends, so the run exits on its own (no --forceExit).
import { stopOpenKafkaReaders } from './kafka-reader';

afterAll(async () => {
  await stopOpenKafkaReaders();
});
