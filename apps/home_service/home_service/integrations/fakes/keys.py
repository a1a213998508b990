"""RSA keys made at test time (never committed) and SHA256withRSA helpers, on `cryptography`."""

import base64
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa


@dataclass
class KeyPair:
	private_pem: str
	public_pem: str

	@property
	def public_base64(self) -> str:
		"""The public key as Alipay's console shows it: base64 DER, no PEM armour."""
		return "".join(line for line in self.public_pem.splitlines() if "-----" not in line)

	@property
	def private_base64(self) -> str:
		return "".join(line for line in self.private_pem.splitlines() if "-----" not in line)


def new_keypair(bits: int = 2048) -> KeyPair:
	key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
	private_pem = key.private_bytes(
		serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
	).decode()
	public_pem = (
		key.public_key()
		.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
		.decode()
	)
	return KeyPair(private_pem, public_pem)


def sign_sha256_rsa(private_pem: str, text: str) -> str:
	key = serialization.load_pem_private_key(private_pem.encode(), password=None)
	return base64.b64encode(key.sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()


def verify_sha256_rsa(public_pem: str, text: str, signature: str) -> bool:
	key = serialization.load_pem_public_key(public_pem.encode())
	try:
		key.verify(base64.b64decode(signature), text.encode(), padding.PKCS1v15(), hashes.SHA256())
		return True
	except (InvalidSignature, ValueError):
		return False
