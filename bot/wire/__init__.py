"""What the gateway and the action server agree on, with nothing to run: the internal API's
wire format, the VIP rule and how a time is said to a customer. Both sides import this
package; it imports neither of them."""
