"""What admins change: the assistant's project files (intents, responses, the LERA phrase bank,
the shop's facts, the desk policy) validated before anything is written, every change recorded
and revertible; training runs and the model the Rasa server answers with."""
