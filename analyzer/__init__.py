"""ipsec-preflight: predict Alibaba Cloud IPsec-VPN negotiation errors from configs."""
__version__ = "0.1.0"
