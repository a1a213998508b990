"""A TCP proxy the fault tests put between the site's processes and MariaDB or Redis.

`stop()` behaves like the server restarting: every open connection is cut and new ones are refused
until `start()` listens again on the same port. The real servers are never touched (other sites and
suites use them).
"""

import socket
import threading


class TcpProxy:
	def __init__(self, target_host: str, target_port: int, port: int = 0):
		self.target = (target_host, target_port)
		self.port = port  # 0: a free port, chosen by the first start() and kept afterwards
		self._listener: socket.socket | None = None
		self._sockets: set[socket.socket] = set()
		self._lock = threading.Lock()

	@property
	def running(self) -> bool:
		return self._listener is not None

	def start(self) -> "TcpProxy":
		if self._listener:
			return self
		listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
		listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
		listener.bind(("127.0.0.1", self.port))
		listener.listen(128)
		self.port = listener.getsockname()[1]
		self._listener = listener
		threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
		return self

	def stop(self) -> None:
		"""Refuse new connections and cut the open ones (a server restart, seen from a client)."""
		listener, self._listener = self._listener, None
		if listener:
			_close(listener)
		with self._lock:
			sockets, self._sockets = self._sockets, set()
		for sock in sockets:
			_close(sock)

	def __enter__(self) -> "TcpProxy":
		return self.start()

	def __exit__(self, *exc) -> None:
		self.stop()

	def _accept(self, listener: socket.socket) -> None:
		while True:
			try:
				client, _address = listener.accept()
			except OSError:
				return  # stopped
			try:
				upstream = socket.create_connection(self.target, timeout=5)
				upstream.settimeout(None)
			except OSError:
				_close(client)
				continue
			with self._lock:
				if self._listener is not listener:  # stopped meanwhile
					_close(client)
					_close(upstream)
					return
				self._sockets.update((client, upstream))
			for source, sink in ((client, upstream), (upstream, client)):
				threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

	def _pump(self, source: socket.socket, sink: socket.socket) -> None:
		try:
			while data := source.recv(65536):
				sink.sendall(data)
		except OSError:
			pass
		finally:
			with self._lock:
				self._sockets.discard(source)
				self._sockets.discard(sink)
			_close(source)
			_close(sink)


def _close(sock: socket.socket) -> None:
	try:
		sock.shutdown(socket.SHUT_RDWR)
	except OSError:
		pass
	sock.close()
